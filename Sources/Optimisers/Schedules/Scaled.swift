/// A schedule multiplied by a constant: s(t) = c · b(t).
///
/// Written `0.5 * schedule` or `schedule * 0.5`.
///
/// - Complexity: One evaluation of the base.
/// - References: None needed: scaling a function by a constant.
public struct Scaled<Base: Schedule>: Schedule {
  /// The scaled schedule b.
  public var base: Base
  /// The constant c.
  public var factor: Double

  /// `base` scaled by `factor`.
  ///
  /// - Parameters:
  ///   - base: b.
  ///   - factor: c.
  @inlinable public init(_ base: Base, by factor: Double) {
    (self.base, self.factor) = (base, factor)
  }

  /// c · b(t).
  ///
  /// - Parameter step: t.
  /// - Complexity: One evaluation of the base.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    factor == 0 ? 0 : factor * base(step)  // never 0 × ∞ = NaN
  }

  /// The base's steps (scaling keeps where the extremes are).
  ///
  /// - Complexity: O(the base's steps).
  public var checkedSteps: [Int] { base.checkedSteps }
}

extension Scaled: Equatable where Base: Equatable {}

extension Schedule {
  /// The schedule scaled by a constant on the left.
  ///
  /// - Parameters:
  ///   - lhs: c.
  ///   - rhs: b.
  /// - Returns: `Scaled(rhs, by: lhs)`.
  @inlinable public static func * (lhs: Double, rhs: Self) -> Scaled<Self> { Scaled(rhs, by: lhs) }

  /// The schedule scaled by a constant on the right.
  ///
  /// - Parameters:
  ///   - lhs: b.
  ///   - rhs: c.
  /// - Returns: `Scaled(lhs, by: rhs)`.
  @inlinable public static func * (lhs: Self, rhs: Double) -> Scaled<Self> { Scaled(lhs, by: rhs) }
}
