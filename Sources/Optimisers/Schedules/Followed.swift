/// One schedule until a boundary, then another that sees the steps since the
/// boundary.
///
///     s(t) = a(t)          for t < b
///     s(t) = c(t − b)      for t ≥ b
///
/// The two schedules may have different types; nest for more parts, or use
/// ``Joined`` for many parts of one type. `Followed(LinearSchedule(...),
/// ExponentialDecay(...), at: m)` is `torch.optim.lr_scheduler.SequentialLR(
/// optimizer, [LinearLR(...), ExponentialLR(...)], milestones=[m])`.
///
/// - Complexity: One evaluation of one of the two schedules.
/// - References: `optax.join_schedules`; PyTorch `SequentialLR`.
public struct Followed<First: Schedule, Second: Schedule>: Schedule {
  /// The schedule before the boundary.
  public var first: First
  /// The schedule from the boundary on, evaluated at t − boundary.
  public var second: Second
  /// The step at which ``second`` takes over.
  public var boundary: Int

  /// Runs `first`, then `second` from step `boundary`.
  ///
  /// - Parameters:
  ///   - first: The schedule for steps before `boundary`.
  ///   - second: The schedule from `boundary`, seeing the steps since it.
  ///   - boundary: The switching step.
  @inlinable public init(_ first: First, _ second: Second, at boundary: Int) {
    (self.first, self.second, self.boundary) = (first, second, boundary)
  }

  /// `first(t)` before the boundary, `second(t − boundary)` from it.
  ///
  /// - Parameter step: t.
  /// - Complexity: O(1) plus one evaluation.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    step < boundary ? first(step) : second(StepArithmetic.difference(step, boundary))
  }

  /// The first schedule's steps before the boundary, the last step before it,
  /// and the second's steps shifted to it.
  ///
  /// - Complexity: O(both schedules' steps).
  public var checkedSteps: [Int] {
    first.checkedSteps.filter { $0 < boundary } + [max(StepArithmetic.difference(boundary, 1), 0)]
      + StepArithmetic.shifted(second.checkedSteps, by: boundary)
  }
}

extension Followed: Equatable where First: Equatable, Second: Equatable {}

extension Schedule {
  /// This schedule until `boundary`, then `next` evaluated at the steps since.
  ///
  /// - Parameters:
  ///   - next: The schedule from `boundary` on.
  ///   - boundary: The switching step.
  /// - Returns: `Followed(self, next, at: boundary)`.
  @inlinable public func followed<Next: Schedule>(by next: Next, at boundary: Int) -> Followed<Self, Next> {
    Followed(self, next, at: boundary)
  }
}
