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
/// Each reflection is applied as two passes along rows (``HouseholderReflector``).
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
    var r = Tensor<Scalar>.zeros([n, n])
    q = Tensor(shape: [m, n], storage: TensorStorage(count: m * n) { q in
      r.withUnsafeMutableBufferPointer { r in
        matrix.withUnsafeBufferPointer { a in
          Self.factor(a.baseAddress!, m: m, n: n, q: q.baseAddress!, r: r.baseAddress!)
        }
      }
    })
    self.r = r
  }

  /// Q (`[m, n]`) and R (`[n, n]`, written on and above the diagonal only) of the
  /// row-major `[m, n]` matrix at `source`, into uninitialised `q` and into `r`.
  ///
  /// The reflectors are kept below R's diagonal in a working copy of A, as in
  /// LAPACK, and Q = H₀ H₁ ⋯ Hₙ₋₁ I[:, :n] is accumulated last reflector
  /// first, so Hₖ only touches rows and columns k… of Q.
  @inlinable
  static func factor(
    _ source: UnsafePointer<Scalar>, m: Int, n: Int, q: UnsafeMutablePointer<Scalar>, r: UnsafeMutablePointer<Scalar>
  ) {
    guard n > 0 else { return }
    let a = UnsafeMutablePointer<Scalar>.allocate(capacity: m * n + 2 * m)
    defer { a.deallocate() }
    a.update(from: source, count: m * n)
    let v = a + m * n, work = v + m
    var taus = [Scalar](repeating: 0, count: n)
    for k in 0..<n {
      let (tau, beta) = Reflector.make(a + k * n + k, count: m - k, stride: n)
      taus[k] = tau
      a[k * n + k] = beta
      guard tau != 0 else { continue }
      gather(a + k * n + k, count: m - k, stride: n, into: v)
      Reflector.reflectRows(a + k * n + k + 1, rowStride: n, columns: n - k - 1, v: v, count: m - k, tau: tau, work: work)
    }
    for i in 0..<n { (r + i * n + i).update(from: a + i * n + i, count: n - i) }
    q.initialize(repeating: 0, count: m * n)
    for i in 0..<n { q[i * n + i] = 1 }
    for k in stride(from: n - 1, through: 0, by: -1) where taus[k] != 0 {
      gather(a + k * n + k, count: m - k, stride: n, into: v)
      Reflector.reflectRows(q + k * n + k, rowStride: n, columns: n - k, v: v, count: m - k, tau: taus[k], work: work)
    }
  }

  @usableFromInline typealias Reflector = HouseholderReflector<Scalar>

  /// v = (1, x₁, x₂, …) from the reflector stored at x (`stride` apart).
  @inlinable
  static func gather(_ x: UnsafePointer<Scalar>, count: Int, stride: Int, into v: UnsafeMutablePointer<Scalar>) {
    v[0] = 1
    for i in 1..<Swift.max(count, 1) { v[i] = x[i * stride] }
  }
}
