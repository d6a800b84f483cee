/// The minimiser of the cubic through two points with their values and
/// slopes, as torch's `_cubic_interpolate` (after minFunc's `polyinterp`)
/// computes it:
///
///     d₁ = g₁ + g₂ − 3(f₁ − f₂)/(x₁ − x₂)
///     d₂ = √(d₁² − g₁g₂)
///     x* = x₂ − (x₂ − x₁)(g₂ + d₂ − d₁)/(g₂ − g₁ + 2d₂)     (x₁ ≤ x₂; mirrored otherwise)
///
/// clamped to the bounds (default: the interval between the points); the
/// bounds' midpoint when d₁² − g₁g₂ < 0.
///
/// - Complexity: O(1).
/// - References: Nocedal and Wright, *Numerical Optimization*, 2006, eq. 3.59;
///   Schmidt, *minFunc*, 2005.
@usableFromInline
enum CubicInterpolation {
  @inlinable
  static func minimiser(
    _ x1: Double, _ f1: Double, _ g1: Double, _ x2: Double, _ f2: Double, _ g2: Double,
    bounds: (Double, Double)?
  ) -> Double {
    let (lower, upper) = bounds ?? (x1 <= x2 ? (x1, x2) : (x2, x1))
    let d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    let d2Square = d1 * d1 - g1 * g2
    guard d2Square >= 0 else { return (lower + upper) / 2 }
    let d2 = d2Square.squareRoot()
    let minimum = x1 <= x2
      ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
      : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return PythonOrder.min(PythonOrder.max(minimum, lower), upper)
  }
}

/// Python's `max` and `min` of two numbers: the first argument unless the
/// second compares strictly greater (smaller), so a NaN first argument is
/// kept and a NaN second one is dropped, as torch's line search sees them.
///
/// - Complexity: O(1).
@usableFromInline
enum PythonOrder {
  @inlinable static func max(_ a: Double, _ b: Double) -> Double { b > a ? b : a }
  @inlinable static func min(_ a: Double, _ b: Double) -> Double { b < a ? b : a }
}
