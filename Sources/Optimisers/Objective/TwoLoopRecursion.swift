/// The L-BFGS direction d = −H·g by the two-loop recursion over the curvature
/// pairs (sᵢ, yᵢ), ρᵢ = 1/(yᵢ·sᵢ), with initial inverse Hessian γI:
///
///     q ← −g
///     for i = newest … oldest:  αᵢ = ρᵢ (sᵢ·q);  q ← q − αᵢ yᵢ
///     r ← γ q
///     for i = oldest … newest:  βᵢ = ρᵢ (yᵢ·r);  r ← r + (αᵢ − βᵢ) sᵢ
///
/// in the order `torch.optim.LBFGS` uses (and, up to the sign of every
/// intermediate, which is exact, `optax.scale_by_lbfgs`). Each step's update
/// and the dot product the next step needs share one pass over memory, so the
/// recursion reads 2m + 1 vectors' worth of passes instead of 4m; the last
/// pass also returns g·d. Under ``ReductionOrder/xla`` the coefficient
/// αᵢ − βᵢ is one fused multiply-add, αᵢ − ρᵢ(yᵢ·r), as XLA compiles optax's
/// loop (its CPU kernel, read from the optimised code); torch rounds βᵢ first.
///
/// - Complexity: O(*mn*) time, 2m + 1 passes; one new vector.
/// - References: Nocedal, *Updating Quasi-Newton Matrices with Limited
///   Storage*, Math. Comp., 1980; Nocedal and Wright, *Numerical
///   Optimization*, 2006, algorithm 7.4.
@usableFromInline
enum TwoLoopRecursion {
  /// Returns d = −H·g and g·d, every dot product summed in `order`.
  @inlinable
  static func direction<S: ParameterScalar>(
    gradient g: [S], steps s: [[S]], gradientChanges y: [[S]], inverseCurvatures rho: [Double], scale gamma: Double,
    order: ReductionOrder
  ) -> (direction: [S], slope: Double) {
    let n = g.count, m = s.count
    guard n > 0 else { return ([], 0) }
    var q = [S](repeating: 0, count: n)
    var slope = 0.0
    withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(m, 1)) { alpha in
      q.withUnsafeMutableBufferPointer { q in
        g.withUnsafeBufferPointer { g in
          let qq = q.baseAddress!, gg = g.baseAddress!
          // q ← −g (exact), with the first dot product of the first loop, or,
          // without history, r ← γ q with g·r.
          if m == 0 {
            slope = FlatKernels.axpyScaleDot(qq, -1, gg, scale: S(gamma), dotWith: gg, n, order: order)
            return
          }
          var nextDot = s[m - 1].withUnsafeBufferPointer { FlatKernels.axpyScaleDot(qq, -1, gg, scale: 1, dotWith: $0.baseAddress!, n, order: order) }
          for i in stride(from: m - 1, through: 0, by: -1) {
            let a = nextDot * rho[i]
            alpha[i] = a
            // q ← q − αᵢ yᵢ, then the next dot: sᵢ₋₁·q, or, after the last
            // step, r ← γ q and y₀·r.
            let last = i == 0
            nextDot = y[i].withUnsafeBufferPointer { yi in
              (last ? y[0] : s[i - 1]).withUnsafeBufferPointer { z in
                FlatKernels.axpyScaleDot(qq, S(-a), yi.baseAddress!, scale: last ? S(gamma) : 1, dotWith: z.baseAddress!, n, order: order)
              }
            }
          }
          for i in 0..<m {
            // XLA fuses optax's αᵢ − ρᵢ(yᵢ·r) into one fma; torch rounds βᵢ first.
            let c = S(order == .xla ? alpha[i].addingProduct(-nextDot, rho[i]) : alpha[i] - nextDot * rho[i])
            // r ← r + (αᵢ − βᵢ) sᵢ, then the next dot: yᵢ₊₁·r, or g·r last.
            nextDot = s[i].withUnsafeBufferPointer { si in
              if i == m - 1 { return FlatKernels.axpyScaleDot(qq, c, si.baseAddress!, scale: 1, dotWith: gg, n, order: order) }
              return y[i + 1].withUnsafeBufferPointer { z in
                FlatKernels.axpyScaleDot(qq, c, si.baseAddress!, scale: 1, dotWith: z.baseAddress!, n, order: order)
              }
            }
          }
          slope = nextDot
        }
      }
    }
    return (q, slope)
  }
}
