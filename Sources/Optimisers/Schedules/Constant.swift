/// A schedule that never changes: s(t) = c.
///
/// Useful as a neutral part of a combination and to check that scheduling a
/// hyperparameter with its own value changes nothing.
///
/// ```swift
/// let rate = Constant(value: 0.001)
/// ```
/// - References: `optax.constant_schedule`, 2020.
public struct Constant: Schedule, Equatable {
  /// The value c returned at every step.
  public var value: Double

  /// Creates a constant schedule.
  ///
  /// - Parameter value: The value c at every step.
  @inlinable public init(value: Double) { self.value = value }

  /// Returns ``value``.
  ///
  /// - Parameter step: Ignored.
  @inlinable public func callAsFunction(_ step: Int) -> Double { value }
}
