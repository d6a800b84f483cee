/// The eigendecomposition A = V Λ Vᵀ of a real symmetric matrix, by the cyclic
/// Jacobi method: the building block of Shampoo-type preconditioners (SOAP's
/// eigenbasis, `torch.linalg.eigh`'s role).
///
/// Each sweep visits every pair (p, q), p < q, and applies the plane rotation
/// that zeroes a_pq (Rutishauser's formulation: t = sign(θ)/(|θ| + √(θ² + 1)),
/// θ = (a_qq − a_pp) / 2a_pq), accumulating the rotations into V. Sweeps stop
/// once the off-diagonal sum of squares is at most (ε ‖A‖_F)², ε the scalar
/// type's machine epsilon, or after 64 sweeps (Jacobi converges quadratically;
/// a dozen sweeps suffice for n in the hundreds). The eigenvalues come out in
/// descending order, the eigenvectors as the matching columns of V; each
/// eigenvector's sign is arbitrary, as in LAPACK.
///
/// The method is slower than tridiagonal QR for large n but accurate to
/// relative precision for every eigenvalue and simple to verify.
///
/// - Complexity: O(n³) per sweep; O(n²) memory.
/// - References: Jacobi, 1846; Rutishauser, *The Jacobi method for real
///   symmetric matrices*, Numerische Mathematik 1966; Golub and Van Loan,
///   *Matrix Computations*, 4th ed., §8.5.
public struct SymmetricEigen<Scalar: ParameterScalar>: Sendable {
  /// The eigenvalues λ₁ ≥ λ₂ ≥ … ≥ λₙ.
  public let values: [Scalar]
  /// The eigenvectors as the columns of an n × n matrix, in the order of ``values``.
  public let vectors: Tensor<Scalar>

  /// Decomposes a symmetric `[n, n]` matrix (only its symmetric part is used:
  /// the method reads both triangles, so pass a symmetric matrix).
  ///
  /// - Precondition: `matrix` is square and its elements are finite.
  @inlinable public init(_ matrix: Tensor<Scalar>) {
    precondition(
      matrix.rank == 2 && matrix.shape[0] == matrix.shape[1],
      "SymmetricEigen needs a square matrix, shape is \(matrix.shape)")
    let n = matrix.shape[0]
    var a = matrix.scalars
    precondition(a.allSatisfy(\.isFinite), "SymmetricEigen needs finite elements")
    var v = [Scalar](repeating: 0, count: n * n)
    for i in 0..<n { v[i * n + i] = 1 }
    var total: Scalar = 0
    for x in a { total += x * x }
    let tolerance = Scalar.ulpOfOne * Scalar.ulpOfOne * total
    for _ in 0..<64 {
      var off: Scalar = 0
      for p in 0..<n { for q in 0..<n where q != p { off += a[p * n + q] * a[p * n + q] } }
      if off <= tolerance { break }
      for p in 0..<n {
        for q in (p + 1)..<n where a[p * n + q] != 0 {
          let apq = a[p * n + q]
          let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
          let t = (theta >= 0 ? 1 : -1) / (abs(theta) + Scalar.squareRoot(of: theta * theta + 1))
          let c = 1 / Scalar.squareRoot(of: t * t + 1), s = t * c
          // A ← Jᵀ A J on rows and columns p, q.
          for k in 0..<n {
            let akp = a[k * n + p], akq = a[k * n + q]
            a[k * n + p] = c * akp - s * akq
            a[k * n + q] = s * akp + c * akq
          }
          for k in 0..<n {
            let apk = a[p * n + k], aqk = a[q * n + k]
            a[p * n + k] = c * apk - s * aqk
            a[q * n + k] = s * apk + c * aqk
          }
          // V ← V J, kept transposed so that columns p and q are contiguous rows.
          for k in 0..<n {
            let vkp = v[p * n + k], vkq = v[q * n + k]
            v[p * n + k] = c * vkp - s * vkq
            v[q * n + k] = s * vkp + c * vkq
          }
        }
      }
    }
    let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] || (a[$0 * n + $0] == a[$1 * n + $1] && $0 < $1) }
    values = order.map { a[$0 * n + $0] }
    var sorted = [Scalar](repeating: 0, count: n * n)
    for (column, source) in order.enumerated() { for k in 0..<n { sorted[k * n + column] = v[source * n + k] } }
    vectors = Tensor(shape: [n, n], scalars: sorted)
  }
}
