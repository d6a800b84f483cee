/// optax's one-cycle schedules, spelled with optax's names and defaults. Both
/// are `optax.piecewise_interpolate_schedule` through knots at whole steps,
/// so they return ``Interpolated`` schedules whose knot values are optax's
/// running products of the scales.
extension Schedule where Self == Interpolated {
  /// `optax.cosine_onecycle_schedule(transition_steps, peak_value, pct_start,
  /// div_factor, final_div_factor)`: half cosines from peak/div up to the peak
  /// at ⌊pct_start · T⌋, then down to peak/(div · final_div) at T, held after.
  ///
  /// - Parameters:
  ///   - transitionSteps: T > 0.
  ///   - peakValue: The peak.
  ///   - pctStart: The fraction of T spent rising; default 0.3.
  ///   - divFactor: peak / initial value; default 25.
  ///   - finalDivFactor: initial / final value; default 10⁴.
  /// - Returns: The cosine ``Interpolated`` schedule through optax's knots.
  /// - Precondition: T > 0 and the factors > 0 (optax's own check is T > 0).
  /// - Complexity: O(1).
  public static func cosineOneCycle(
    transitionSteps: Int, peakValue: Double, pctStart: Double = 0.3, divFactor: Double = 25,
    finalDivFactor: Double = 1e4
  ) -> Interpolated {
    precondition(transitionSteps > 0, "cosineOneCycle: transitionSteps must be > 0, got \(transitionSteps)")
    return optaxInterpolation(
      .cosine, initial: peakValue / divFactor,
      [(truncated(pctStart, of: transitionSteps), divFactor), (transitionSteps, 1 / (divFactor * finalDivFactor))])
  }

  /// `optax.linear_onecycle_schedule(transition_steps, peak_value, pct_start,
  /// pct_final, div_factor, final_div_factor)`: straight lines from peak/div up
  /// to the peak at ⌊pct_start · T⌋, back to peak/div at ⌊pct_final · T⌋, then
  /// to peak/(div · final_div) at T, held after.
  ///
  /// - Parameters:
  ///   - transitionSteps: T > 0.
  ///   - peakValue: The peak.
  ///   - pctStart: The fraction of T spent rising; default 0.3.
  ///   - pctFinal: The fraction of T at which the descent to peak/div ends; default 0.85.
  ///   - divFactor: peak / initial value; default 25.
  ///   - finalDivFactor: initial / final value; default 10⁴.
  /// - Returns: The linear ``Interpolated`` schedule through optax's knots.
  /// - Precondition: T > 0.
  /// - Complexity: O(1).
  public static func linearOneCycle(
    transitionSteps: Int, peakValue: Double, pctStart: Double = 0.3, pctFinal: Double = 0.85,
    divFactor: Double = 25, finalDivFactor: Double = 1e4
  ) -> Interpolated {
    precondition(transitionSteps > 0, "linearOneCycle: transitionSteps must be > 0, got \(transitionSteps)")
    return optaxInterpolation(
      .linear, initial: peakValue / divFactor,
      [(truncated(pctStart, of: transitionSteps), divFactor), (truncated(pctFinal, of: transitionSteps), 1 / divFactor),
       (transitionSteps, 1 / finalDivFactor)])
  }

  /// Python's `int(fraction * steps)`: the product truncated towards zero.
  private static func truncated(_ fraction: Double, of steps: Int) -> Int {
    let product = fraction * Double(steps)
    precondition(product.isFinite && abs(product) < 9e18, "onecycle: pct × transition_steps = \(product) is not a step")
    return Int(product.rounded(.towardZero))
  }

  /// `optax.piecewise_interpolate_schedule(kind, initial, boundaries_and_scales)`:
  /// a later scale for the same boundary replaces an earlier one (a Python
  /// dict), the boundaries are sorted, and the knot values are the running
  /// products of the scales.
  private static func optaxInterpolation(
    _ interpolation: Interpolated.Interpolation, initial: Double, _ boundariesAndScales: [(Int, Double)]
  ) -> Interpolated {
    var scales: [Int: Double] = [:]
    for (boundary, scale) in boundariesAndScales {
      precondition(scale >= 0, "onecycle: scale factors must be ≥ 0, got \(scale)")
      scales[boundary] = scale
    }
    var knots = [(step: 0, value: initial)]
    for boundary in scales.keys.sorted() {
      knots.append((boundary, knots[knots.count - 1].value * scales[boundary]!))
    }
    return Interpolated(knots: knots, interpolation: interpolation)
  }
}
