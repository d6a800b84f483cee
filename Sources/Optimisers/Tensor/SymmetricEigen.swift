/// The eigendecomposition A = V Λ Vᵀ of a real symmetric matrix: the building
/// block of Shampoo-type preconditioners (SOAP's eigenbasis, the role of
/// `torch.linalg.eigh`).
///
/// Householder reduction to tridiagonal form, A = Q T Qᵀ, then the implicit
/// QL iteration with Wilkinson shifts on T, accumulating V = Q Z
/// (`SymmetricTridiagonal`): the method of LAPACK `dsteqr` and EISPACK
/// `tql2`. Eigenvalues are accurate to about ε ‖A‖ (ε the scalar type's
/// machine epsilon), eigenvectors to about ε ‖A‖ / gap, and V is orthogonal
/// to about n ε. The eigenvalues come out in descending order (ties in the
/// order the iteration leaves them), the eigenvectors as the matching columns
/// of V; each eigenvector's sign, and the basis chosen within the eigenspace
/// of a repeated eigenvalue, are arbitrary, as in LAPACK.
///
/// - Complexity: about n³ multiply–adds for the reduction, 2/3 n³ to form
///   Q and 3n³ for the QL rotations (two sweeps per eigenvalue); O(n²) memory.
///   All of it runs on the calling thread, so the result does not depend on
///   ``Parallelism``.
/// - References: Golub and Van Loan, *Matrix Computations*, 4th ed., §8.3;
///   Bowdler, Martin, Reinsch and Wilkinson, *The QR and QL algorithms for
///   symmetric matrices*, Numerische Mathematik 1968.
public struct SymmetricEigen<Scalar: ParameterScalar>: Sendable {
  /// The eigenvalues λ₁ ≥ λ₂ ≥ … ≥ λₙ.
  public let values: [Scalar]
  /// The eigenvectors as the columns of an n × n matrix, in the order of ``values``.
  public let vectors: Tensor<Scalar>

  /// Decomposes a symmetric `[n, n]` matrix (both triangles are read, so
  /// pass a symmetric matrix).
  ///
  /// - Precondition: `matrix` is square and its elements are finite.
  @inlinable public init(_ matrix: Tensor<Scalar>) {
    precondition(
      matrix.rank == 2 && matrix.shape[0] == matrix.shape[1],
      "SymmetricEigen needs a square matrix, shape is \(matrix.shape)")
    let n = matrix.shape[0]
    let work = UnsafeMutablePointer<Scalar>.allocate(capacity: 2 * n * n + 2 * n)
    defer { work.deallocate() }
    let a = work, vt = work + n * n, d = vt + n * n, e = d + n
    matrix.withUnsafeBufferPointer { source in
      precondition(source.allSatisfy(\.isFinite), "SymmetricEigen needs finite elements")
      if n > 0 { a.update(from: source.baseAddress!, count: n * n) }
    }
    Stage.reduce(a, n: n, d: d, e: e, qt: vt)
    Stage.diagonalise(d: d, e: e, n: n, vt: vt)
    let order = (0..<n).sorted { d[$0] > d[$1] || (d[$0] == d[$1] && $0 < $1) }
    values = order.map { d[$0] }
    vectors = Tensor(shape: [n, n], storage: TensorStorage(count: n * n) { out in
      for (column, source) in order.enumerated() {
        for k in 0..<n { out[k * n + column] = vt[source * n + k] }
      }
    })
  }

  @usableFromInline typealias Stage = SymmetricTridiagonal<Scalar>
}
