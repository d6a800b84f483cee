/// A schedule started late (or early): s(t) = b(max(t − k, 0)).
///
/// A positive offset k delays the base by k steps, holding its first value
/// until then (optax's `transition_begin`); a negative offset starts the base
/// |k| steps in, as when resuming a run under a new step count.
///
/// ## Mathematical properties
/// `Shifted(b, by: 0)` is b; shifts compose by adding offsets of the same sign.
///
/// - Complexity: One evaluation of the base.
/// - References: `optax` schedules' `transition_begin`, 2020.
public struct Shifted<Base: Schedule>: Schedule {
  /// The shifted schedule.
  public var base: Base
  /// The offset k: the base's step 0 happens at step k.
  public var offset: Int

  /// Shifts `base` so that its step 0 happens at step `offset`.
  ///
  /// - Parameters:
  ///   - base: The schedule.
  ///   - offset: k; positive delays, negative skips ahead.
  @inlinable public init(_ base: Base, by offset: Int) {
    (self.base, self.offset) = (base, offset)
  }

  /// b(max(t − k, 0)).
  ///
  /// - Parameter step: t.
  /// - Complexity: One evaluation of the base.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    base(max(StepArithmetic.difference(step, offset), 0))
  }

  /// The base's steps, shifted.
  ///
  /// - Complexity: O(the base's steps).
  public var checkedSteps: [Int] { [0] + StepArithmetic.shifted(base.checkedSteps, by: offset) }
}

extension Shifted: Equatable where Base: Equatable {}

extension Schedule {
  /// This schedule with its step 0 moved to step `offset`.
  ///
  /// - Parameter offset: k; positive delays, negative skips ahead.
  /// - Returns: `Shifted(self, by: offset)`.
  @inlinable public func shifted(by offset: Int) -> Shifted<Self> { Shifted(self, by: offset) }
}
