/// The two stages of ``SymmetricEigen``: Householder reduction of a symmetric
/// matrix to tridiagonal form, A = Q T Qᵀ, and the implicit QL iteration with
/// Wilkinson shifts that diagonalises T = Z Λ Zᵀ while accumulating V = Q Z.
///
/// Reduction: for k = 0, …, n − 3 the reflector Hₖ = I − τ v vᵀ zeroes column k
/// below its subdiagonal, and the trailing block B takes the two-sided update
/// B ← Hₖ B Hₖ as one symmetric rank-2 update, p = τ B v, w = p − (τ/2)(pᵀv) v,
/// B ← B − v wᵀ − w vᵀ (n³ multiply–adds: both triangles are updated so that
/// both passes per k run along rows). Q is
/// then accumulated backwards, Q = H₀ (H₁ (⋯ Hₙ₋₃)), as in LAPACK `dorgtr`.
///
/// QL: each sweep chases a bulge up an unreduced block l…m with plane
/// rotations, after the shift that is T's trailing 2 × 2 eigenvalue nearer
/// d_l (Wilkinson's); an off-diagonal e_i is taken as zero once
/// |e_i| ≤ ε (|d_i| + |d₍ᵢ₊₁₎|). The rotations act on adjacent rows of Vᵀ
/// (stored transposed so that each is two contiguous rows). Each eigenvalue
/// takes about two sweeps, so the QL stage costs about 6n³ flops.
///
/// - References: Golub and Van Loan, *Matrix Computations*, 4th ed., §8.3;
///   Bowdler, Martin, Reinsch and Wilkinson, *The QR and QL algorithms for
///   symmetric matrices*, Numerische Mathematik 1968 (EISPACK `tql2`).
@usableFromInline
enum SymmetricTridiagonal<Scalar: ParameterScalar> {
  @usableFromInline typealias Reflector = HouseholderReflector<Scalar>

  /// Reduces the row-major symmetric `n × n` matrix at `a` (destroyed; both
  /// triangles read) to T, with diagonal `d` and off-diagonal `e` (e[i] couples
  /// i and i + 1, e[n − 1] = 0), and writes Qᵀ row-major to `qt`.
  @inlinable
  static func reduce(
    _ a: UnsafeMutablePointer<Scalar>, n: Int, d: UnsafeMutablePointer<Scalar>, e: UnsafeMutablePointer<Scalar>,
    qt: UnsafeMutablePointer<Scalar>
  ) {
    let work = UnsafeMutablePointer<Scalar>.allocate(capacity: 3 * n + 1)
    defer { work.deallocate() }
    let v = work, p = work + n, w = work + 2 * n
    var taus = [Scalar](repeating: 0, count: n)
    for k in 0..<Swift.max(n - 2, 0) {
      // Column k below the diagonal is row k right of it.
      let row = a + k * n + k + 1, m = n - k - 1, b = a + (k + 1) * n + k + 1
      let (tau, beta) = Reflector.make(row, count: m, stride: 1)
      (d[k], e[k], taus[k]) = (a[k * n + k], beta, tau)
      guard tau != 0 else { continue }
      v[0] = 1
      (v + 1).update(from: row + 1, count: m - 1)
      // p = τ B v, summed as Σᵢ vᵢ (row i of B) since B is symmetric.
      p.update(repeating: 0, count: m)
      for i in 0..<m {
        let vi = v[i], bi = b + i * n
        for j in 0..<m { p[j] += vi * bi[j] }
      }
      var pv: Scalar = 0
      for j in 0..<m { p[j] *= tau; pv += p[j] * v[j] }
      let half = tau * pv / 2
      for j in 0..<m { w[j] = p[j] - half * v[j] }
      for i in 0..<m {
        let vi = v[i], wi = w[i], bi = b + i * n
        for j in 0..<m { bi[j] -= vi * w[j] + wi * v[j] }
      }
    }
    if n >= 2 { (d[n - 2], e[n - 2]) = (a[(n - 2) * n + n - 2], a[(n - 2) * n + n - 1]) }
    if n >= 1 { (d[n - 1], e[n - 1]) = (a[(n - 1) * n + n - 1], 0) }
    // Q, row-major, in `qt`, then transposed in place.
    qt.initialize(repeating: 0, count: n * n)
    for i in 0..<n { qt[i * n + i] = 1 }
    for k in stride(from: n - 3, through: 0, by: -1) where taus[k] != 0 {
      let m = n - k - 1
      v[0] = 1
      (v + 1).update(from: a + k * n + k + 2, count: m - 1)
      Reflector.reflectRows(qt + (k + 1) * n + k + 1, rowStride: n, columns: m, v: v, count: m, tau: taus[k], work: w)
    }
    for i in 0..<n { for j in (i + 1)..<Swift.max(n, i + 1) { swap(&qt[i * n + j], &qt[j * n + i]) } }
  }

  /// Diagonalises the tridiagonal (d, e) in place: d becomes the eigenvalues
  /// (unsorted) and each rotation is applied to rows i, i + 1 of the row-major
  /// `n × n` matrix at `vt`, so that Vᵀ ← Zᵀ Vᵀ.
  ///
  /// - Precondition: converges within 30 n sweeps (LAPACK `dsteqr`'s limit),
  ///   which Wilkinson shifts reach for every finite input.
  @inlinable
  static func diagonalise(
    d: UnsafeMutablePointer<Scalar>, e: UnsafeMutablePointer<Scalar>, n: Int, vt: UnsafeMutablePointer<Scalar>
  ) {
    var sweeps = 0
    for l in 0..<n {
      while true {
        var m = l
        while m < n - 1 && abs(e[m]) > Scalar.ulpOfOne * (abs(d[m]) + abs(d[m + 1])) { m += 1 }
        if m == l { break }
        if m == l + 1 {
          // A 2 × 2 block: one Jacobi rotation diagonalises it (as LAPACK's
          // `dlaev2` does), which keeps the rounding of rank-one 2 × 2 factors
          // (SOAP on a vector of two) where the references have it.
          jacobi(d: d + l, e: e + l, rows: vt + l * n, n: n)
          continue
        }
        sweeps += 1
        precondition(sweeps <= 30 * n, "SymmetricEigen: the QL iteration did not converge")
        // Wilkinson's shift: the eigenvalue of the leading 2 × 2 of block l…m nearer d_l.
        var g = (d[l + 1] - d[l]) / (2 * e[l])
        var r = hypotenuse(g, 1)
        g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r))
        var s: Scalar = 1, c: Scalar = 1, shift: Scalar = 0
        var i = m - 1, deflated = false
        while i >= l {
          let f = s * e[i], h = c * e[i]
          r = hypotenuse(f, g)
          e[i + 1] = r
          if r == 0 {
            // The bulge vanished: e[i + 1] underflowed, split there and restart.
            d[i + 1] -= shift
            e[m] = 0
            deflated = true
            break
          }
          s = f / r
          c = g / r
          g = d[i + 1] - shift
          r = (d[i] - g) * s + 2 * c * h
          shift = s * r
          d[i + 1] = g + shift
          g = c * r - h
          rotate(vt + i * n, vt + (i + 1) * n, count: n, c: c, s: s)
          i -= 1
        }
        if deflated { continue }
        d[l] -= shift
        e[l] = g
        e[m] = 0
      }
    }
  }

  /// Zeroes e[0] of the 2 × 2 block [[d₀, e₀], [e₀, d₁]] by the rotation with
  /// t = tan φ = sign(θ)/(|θ| + √(θ² + 1)), θ = (d₁ − d₀)/(2e₀) (Rutishauser),
  /// applied to the two rows of Vᵀ at `rows`.
  @inlinable
  static func jacobi(d: UnsafeMutablePointer<Scalar>, e: UnsafeMutablePointer<Scalar>, rows: UnsafeMutablePointer<Scalar>, n: Int) {
    let theta = (d[1] - d[0]) / (2 * e[0])
    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + hypotenuse(theta, 1))
    let c = 1 / hypotenuse(t, 1), s = t * c
    (d[0], d[1], e[0]) = (d[0] - t * e[0], d[1] + t * e[0], 0)
    rotate(rows, rows + n, count: n, c: c, s: s)
  }

  /// (x, y) ← (c x − s y, s x + c y) elementwise.
  @inlinable
  static func rotate(
    _ x: UnsafeMutablePointer<Scalar>, _ y: UnsafeMutablePointer<Scalar>, count: Int, c: Scalar, s: Scalar
  ) {
    for k in 0..<count {
      let a = x[k], b = y[k]
      x[k] = c * a - s * b
      y[k] = s * a + c * b
    }
  }

  /// √(x² + y²) without overflow or underflow in the squares.
  @inlinable
  static func hypotenuse(_ x: Scalar, _ y: Scalar) -> Scalar {
    let a = abs(x), b = abs(y)
    let big = Swift.max(a, b), small = Swift.min(a, b)
    guard big != 0, big.isFinite else { return big }
    let t = small / big
    return big * Scalar.squareRoot(of: 1 + t * t)
  }
}
