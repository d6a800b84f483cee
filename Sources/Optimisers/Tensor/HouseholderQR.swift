/// The thin QR decomposition A = Q R of an m × n matrix (m ≥ n) by Householder
/// reflections, with LAPACK's sign convention (`geqrf` + `orgqr`, what
/// `torch.linalg.qr` and `numpy.linalg.qr` return): reflection k maps column
/// k's tail x to β e₁ with β = −sign(x₁) ‖x‖, so R's diagonal has the opposite
/// sign of the column it came from, and no reflection is applied when the
/// tail below the diagonal is already zero.
///
/// SOAP's eigenbasis refresh is one step of power iteration followed by this
/// decomposition: Q ← qr(P Q).Q.
///
/// - Complexity: O(mn²) time, O(mn) memory.
/// - References: Householder, *Unitary Triangularization of a Nonsymmetric
///   Matrix*, JACM 1958; Golub and Van Loan, *Matrix Computations*, 4th ed.,
///   §5.2; LAPACK `dlarfg`.
public struct HouseholderQR<Scalar: ParameterScalar>: Sendable {
  /// Q, `[m, n]`, with orthonormal columns.
  public let q: Tensor<Scalar>
  /// R, `[n, n]`, upper triangular.
  public let r: Tensor<Scalar>

  /// Decomposes an `[m, n]` matrix with m ≥ n.
  ///
  /// - Precondition: `matrix` is rank 2 with at least as many rows as columns.
  @inlinable public init(_ matrix: Tensor<Scalar>) {
    precondition(
      matrix.rank == 2 && matrix.shape[0] >= matrix.shape[1],
      "HouseholderQR needs an [m, n] matrix with m ≥ n, shape is \(matrix.shape)")
    let m = matrix.shape[0], n = matrix.shape[1]
    // Column-major working copies (column j of A is at[j * m ..< (j + 1) * m]),
    // so that every reflection runs along contiguous memory.
    let source = matrix.scalars
    var at = [Scalar](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { at[j * m + i] = source[i * n + j] } }
    var reflectors = [[Scalar]]()  // v with v₀ = 1, and τ in `taus`
    var taus = [Scalar]()
    at.withUnsafeMutableBufferPointer { a in
      for k in 0..<n {
        let column = k * m
        var tail: Scalar = 0
        for i in (k + 1)..<m { tail += a[column + i] * a[column + i] }
        let alpha = a[column + k]
        guard tail != 0 else {
          reflectors.append([])
          taus.append(0)
          continue
        }
        let norm = Scalar.squareRoot(of: alpha * alpha + tail)
        let beta = alpha >= 0 ? -norm : norm
        let tau = (beta - alpha) / beta
        let scale = 1 / (alpha - beta)
        var v = [Scalar](repeating: 0, count: m - k)
        v[0] = 1
        for i in (k + 1)..<m { v[i - k] = a[column + i] * scale }
        // A ← (I − τ v vᵀ) A on columns k..<n.
        a[column + k] = beta
        for i in (k + 1)..<m { a[column + i] = 0 }
        v.withUnsafeBufferPointer { v in
          for j in (k + 1)..<n { Self.reflect(a.baseAddress! + j * m + k, v, tau) }
        }
        reflectors.append(v)
        taus.append(tau)
      }
    }
    var rScalars = [Scalar](repeating: 0, count: n * n)
    for i in 0..<n { for j in i..<n { rScalars[i * n + j] = at[j * m + i] } }
    // Q = H₀ H₁ ⋯ Hₙ₋₁ applied to the first n columns of the identity, last
    // reflector first, column-major again.
    var qt = [Scalar](repeating: 0, count: m * n)
    for i in 0..<n { qt[i * m + i] = 1 }
    qt.withUnsafeMutableBufferPointer { q in
      for k in stride(from: n - 1, through: 0, by: -1) where taus[k] != 0 {
        reflectors[k].withUnsafeBufferPointer { v in
          for j in 0..<n { Self.reflect(q.baseAddress! + j * m + k, v, taus[k]) }
        }
      }
    }
    var qScalars = [Scalar](repeating: 0, count: m * n)
    for j in 0..<n { for i in 0..<m { qScalars[i * n + j] = qt[j * m + i] } }
    q = Tensor(shape: [m, n], scalars: qScalars)
    r = Tensor(shape: [n, n], scalars: rScalars)
  }

  /// x ← x − τ (vᵀx) v for the contiguous x = `x[0 ..< v.count]`, the dot
  /// product summed in increasing index.
  @inlinable
  static func reflect(_ x: UnsafeMutablePointer<Scalar>, _ v: UnsafeBufferPointer<Scalar>, _ tau: Scalar) {
    var dot: Scalar = 0
    for i in 0..<v.count { dot += v[i] * x[i] }
    let w = tau * dot
    for i in 0..<v.count { x[i] -= w * v[i] }
  }
}
