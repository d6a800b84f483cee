/// A schedule kept within bounds: s(t) = min(max(b(t), lower), upper).
///
/// ## Mathematical properties
/// lower ≤ s(t) ≤ upper for every t where b(t) is not NaN.
///
/// - Complexity: One evaluation of the base.
/// - References: `optax.exponential_decay`'s `end_value` (a clamp), 2020.
public struct Clamped<Base: Schedule>: Schedule {
  /// The clamped schedule.
  public var base: Base
  /// The smallest value returned.
  public var lower: Double
  /// The largest value returned.
  public var upper: Double

  /// Keeps `base` within `bounds`.
  ///
  /// - Parameters:
  ///   - base: The schedule.
  ///   - bounds: The closed interval the values are clamped to.
  @inlinable public init(_ base: Base, to bounds: ClosedRange<Double>) {
    self.base = base
    self.lower = bounds.lowerBound
    self.upper = bounds.upperBound
  }

  /// min(max(b(t), lower), upper).
  ///
  /// - Parameter step: t.
  /// - Complexity: One evaluation of the base.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    min(max(base(step), lower), upper)
  }

  /// The base's steps (clamping keeps where the extremes are).
  ///
  /// - Complexity: O(the base's steps).
  public var checkedSteps: [Int] { base.checkedSteps }
}

extension Clamped: Equatable where Base: Equatable {}

extension Schedule {
  /// This schedule clamped to `bounds`.
  ///
  /// - Parameter bounds: The closed interval of allowed values.
  /// - Returns: `Clamped(self, to: bounds)`.
  @inlinable public func clamped(to bounds: ClosedRange<Double>) -> Clamped<Self> { Clamped(self, to: bounds) }
}
