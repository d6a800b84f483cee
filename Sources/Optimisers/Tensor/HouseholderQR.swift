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
/// Blocked: panels of 32 reflections are applied as matrix products
/// (`BlockReflector`), so most of the work is in `MatrixProductKernel`.
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
  /// Blocked as LAPACK `dgeqrf`/`dorgqr`: each panel of ``panelWidth`` columns
  /// is factored reflection by reflection, then applied to the columns right
  /// of it as one `BlockReflector` (three matrix products). The reflectors
  /// stay below R's diagonal in a working copy of A, and Q = H₀ H₁ ⋯ Hₙ₋₁
  /// I[:, :n] is accumulated panel by panel, last panel first, so each only
  /// touches rows and columns from its first column on.
  @inlinable
  static func factor(
    _ source: UnsafePointer<Scalar>, m: Int, n: Int, q: UnsafeMutablePointer<Scalar>, r: UnsafeMutablePointer<Scalar>
  ) {
    guard n > 0 else { return }
    let width = Swift.min(panelWidth, n)
    let room = m * n + 2 * m + m * width + width * width + (2 * width + m) * n
    let a = UnsafeMutablePointer<Scalar>.allocate(capacity: room)
    defer { a.deallocate() }
    a.update(from: source, count: m * n)
    let v = a + m * n, work = v + m, panelV = work + m, panelT = panelV + m * width, blockWork = panelT + width * width
    var taus = [Scalar](repeating: 0, count: n)
    func block(_ j0: Int) -> BlockReflector<Scalar> {
      taus.withUnsafeBufferPointer { taus in
        BlockReflector(
          panel: a + j0 * n + j0, rowStride: n, rows: m - j0, width: Swift.min(width, n - j0),
          taus: taus.baseAddress! + j0, v: panelV, t: panelT)
      }
    }
    for j0 in stride(from: 0, to: n, by: width) {
      let end = Swift.min(j0 + width, n)
      for k in j0..<end {
        let (tau, beta) = Reflector.make(a + k * n + k, count: m - k, stride: n)
        taus[k] = tau
        a[k * n + k] = beta
        guard tau != 0 else { continue }
        gather(a + k * n + k, count: m - k, stride: n, into: v)
        Reflector.reflectRows(a + k * n + k + 1, rowStride: n, columns: end - k - 1, v: v, count: m - k, tau: tau, work: work)
      }
      if end < n {
        block(j0).apply(to: a + j0 * n + end, rowStride: n, columns: n - end, transposed: true, work: blockWork)
      }
    }
    for i in 0..<n { (r + i * n + i).update(from: a + i * n + i, count: n - i) }
    q.initialize(repeating: 0, count: m * n)
    for i in 0..<n { q[i * n + i] = 1 }
    for j0 in stride(from: (n - 1) / width * width, through: 0, by: -width) {
      block(j0).apply(to: q + j0 * n + j0, rowStride: n, columns: n - j0, transposed: false, work: blockWork)
    }
  }

  /// Columns per panel of the blocked factorisation.
  @inlinable static var panelWidth: Int { 32 }

  @usableFromInline typealias Reflector = HouseholderReflector<Scalar>

  /// v = (1, x₁, x₂, …) from the reflector stored at x (`stride` apart).
  @inlinable
  static func gather(_ x: UnsafePointer<Scalar>, count: Int, stride: Int, into v: UnsafeMutablePointer<Scalar>) {
    v[0] = 1
    for i in 1..<Swift.max(count, 1) { v[i] = x[i * stride] }
  }
}
