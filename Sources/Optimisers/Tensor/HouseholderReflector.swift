/// Householder reflections H = I − τ v vᵀ (v₀ = 1) on row-major blocks: the
/// shared step of ``HouseholderQR`` and of the tridiagonal reduction behind
/// ``SymmetricEigen``.
///
/// Every loop runs along a row (unit stride), so the compiler vectorises it:
/// vᵀA is accumulated as Σᵢ vᵢ · (row i) rather than as one dot product per
/// column (a strict floating-point reduction, which stays scalar).
///
/// - References: Golub and Van Loan, *Matrix Computations*, 4th ed., §5.1;
///   LAPACK `dlarfg` (the sign convention) and `dlarf`.
@usableFromInline
enum HouseholderReflector<Scalar: ParameterScalar> {
  /// Makes the reflector that maps x = (α, x₁, …) to (β, 0, …), β = −sign(α) ‖x‖
  /// (LAPACK's convention), writing v₁, v₂, … over x₁, x₂, … (`stride` apart) and
  /// returning τ = (β − α)/β and β; τ = 0 and β = α when the tail is already zero.
  /// The norm is taken of x / max|xᵢ|, so squares neither overflow nor underflow.
  ///
  /// - Complexity: O(count).
  @inlinable
  static func make(_ x: UnsafeMutablePointer<Scalar>, count: Int, stride: Int) -> (tau: Scalar, beta: Scalar) {
    let alpha = x[0]
    var largest: Scalar = 0
    for i in 1..<Swift.max(count, 1) { largest = Swift.max(largest, abs(x[i * stride])) }
    guard largest != 0 else { return (0, alpha) }
    let scale = Swift.max(largest, abs(alpha)), inverse = 1 / scale
    var squares: Scalar = 0
    for i in 0..<count { let y = x[i * stride] * inverse; squares += y * y }
    let norm = scale * Scalar.squareRoot(of: squares)
    let beta = alpha >= 0 ? -norm : norm
    let factor = 1 / (alpha - beta)
    for i in 1..<count { x[i * stride] *= factor }
    return ((beta - alpha) / beta, beta)
  }

  /// A ← (I − τ v vᵀ) A for the `v.count` × `columns` block at `a` (rows
  /// `rowStride` apart): w = vᵀA, then A ← A − τ v wᵀ. `work` holds `columns` scalars.
  ///
  /// - Complexity: O(`v.count` · `columns`).
  @inlinable
  static func reflectRows(
    _ a: UnsafeMutablePointer<Scalar>, rowStride: Int, columns: Int, v: UnsafePointer<Scalar>, count: Int,
    tau: Scalar, work w: UnsafeMutablePointer<Scalar>
  ) {
    guard tau != 0, columns > 0 else { return }
    w.update(from: a, count: columns)
    for i in 1..<Swift.max(count, 1) {
      let vi = v[i], row = a + i * rowStride
      for j in 0..<columns { w[j] += vi * row[j] }
    }
    for i in 0..<count {
      let f = tau * v[i], row = a + i * rowStride
      for j in 0..<columns { row[j] -= f * w[j] }
    }
  }
}
