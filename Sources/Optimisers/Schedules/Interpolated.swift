import COptimisers

/// A schedule through given knots (step, value), interpolated between them and
/// held constant outside.
///
/// Between knots (a, u) and (b, v), with x = (t − a) / max(b − a, 1):
///
///     linear:  s(t) = (v − u) · x + u
///     cosine:  s(t) = v + (u − v) / 2 · (cos(πx) + 1)
///
/// Before the first knot the value is the first knot's, from the last knot on
/// the last knot's. Matches `optax.piecewise_interpolate_schedule`; optax's
/// `linear_onecycle_schedule` and `cosine_onecycle_schedule` are interpolations
/// through their knots.
///
/// - Complexity: O(log *n*) for *n* knots.
/// - References: `optax.piecewise_interpolate_schedule`, 2020.
public struct Interpolated: Schedule, Equatable {
  /// How values between knots are found.
  public enum Interpolation: String, Codable, Sendable {
    /// A straight line between neighbouring knots.
    case linear
    /// Half a cosine wave between neighbouring knots.
    case cosine
  }

  /// The knots' steps, non-decreasing.
  public var steps: [Int]
  /// The knots' values, one per step.
  public var values: [Double]
  /// The curve between knots.
  public var interpolation: Interpolation

  /// Creates a schedule through `knots`.
  ///
  /// - Parameters:
  ///   - knots: At least one (step, value) pair, with non-decreasing steps.
  ///   - interpolation: `.linear` (default) or `.cosine`.
  /// - Precondition: At least one knot; steps non-decreasing.
  /// - Complexity: O(*n*).
  @inlinable public init(knots: [(step: Int, value: Double)], interpolation: Interpolation = .linear) {
    precondition(!knots.isEmpty, "Interpolated: needs at least one knot")
    precondition(zip(knots, knots.dropFirst()).allSatisfy { $0.step <= $1.step },
                 "Interpolated: knot steps must be non-decreasing")
    precondition(knots.allSatisfy { $0.value.isFinite }, "Interpolated: knot values must be finite")
    steps = knots.map(\.step)
    values = knots.map(\.value)
    self.interpolation = interpolation
  }

  /// Decodes the knots and the interpolation.
  ///
  /// - Throws: `DecodingError.dataCorrupted` unless there is at least one knot,
  ///   as many values as steps, the steps are non-decreasing and the values
  ///   finite.
  /// - Complexity: O(*n*).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let steps = try container.decode([Int].self, forKey: .steps)
    let values = try container.decode([Double].self, forKey: .values)
    guard !steps.isEmpty, steps.count == values.count, zip(steps, steps.dropFirst()).allSatisfy({ $0 <= $1 }),
          values.allSatisfy(\.isFinite)
    else {
      throw DecodingError.dataCorruptedError(
        forKey: .steps, in: container,
        debugDescription: "Interpolated: needs at least one knot, as many values as steps, non-decreasing steps and finite values; got steps \(steps) and values \(values)")
    }
    self.steps = steps
    self.values = values
    self.interpolation = try container.decode(Interpolation.self, forKey: .interpolation)
  }

  /// The interpolated value at t.
  ///
  /// - Parameter step: t.
  /// - Complexity: O(log *n*).
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    // The number of knots at or before `step`.
    var low = 0, high = steps.count
    while low < high {
      let middle = (low + high) / 2
      if steps[middle] <= step { low = middle + 1 } else { high = middle }
    }
    if low == 0 { return values[0] }
    if low == steps.count { return values[steps.count - 1] }
    let start = values[low - 1], end = values[low]
    // In Double, so knots far apart cannot overflow; equal knots jump.
    let width = Double(steps[low]) - Double(steps[low - 1])
    let fraction = width > 0 ? (Double(step) - Double(steps[low - 1])) / width : 1
    switch interpolation {
    case .linear: return (end - start) * fraction + start
    case .cosine: return end + (start - end) / 2 * (optimisers_cos(Double.pi * fraction) + 1)
    }
  }

  /// Step 0 and every knot.
  ///
  /// - Complexity: O(knots).
  public var checkedSteps: [Int] { [0] + steps.filter { $0 >= 0 } }
}
