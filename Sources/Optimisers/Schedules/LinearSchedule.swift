/// A linear ramp from an initial to an end value, constant before and after.
///
/// With c = clamp(t − transitionBegin, 0, transitionSteps):
///
///     s(t) = (η₀ − η₁) · (1 − c / transitionSteps) + η₁
///
/// Matches `optax.linear_schedule(init_value, end_value, transition_steps,
/// transition_begin)`, and `torch.optim.lr_scheduler.LinearLR(optimizer,
/// start_factor, end_factor, total_iters)` with η₀ = start_factor · lr and
/// η₁ = end_factor · lr.
/// - References: `optax.linear_schedule`; PyTorch `LinearLR`.
public struct LinearSchedule: Schedule, Equatable {
  /// The value at the ramp's start, η₀.
  public var initial: Double
  /// The value from the ramp's end on, η₁.
  public var end: Double
  /// The ramp's length in steps, > 0.
  public var transitionSteps: Int
  /// The step at which the ramp starts, ≥ 0.
  public var transitionBegin: Int

  /// Creates a linear ramp.
  ///
  /// - Parameters:
  ///   - initial: η₀.
  ///   - end: η₁.
  ///   - transitionSteps: The ramp's length; > 0.
  ///   - transitionBegin: Steps before the ramp; default 0.
  /// - Precondition: `transitionSteps` > 0 and `transitionBegin` ≥ 0.
  @inlinable public init(initial: Double, end: Double, transitionSteps: Int, transitionBegin: Int = 0) {
    precondition(transitionSteps > 0, "LinearSchedule: transitionSteps must be > 0, got \(transitionSteps)")
    precondition(transitionBegin >= 0, "LinearSchedule: transitionBegin must be ≥ 0, got \(transitionBegin)")
    precondition(initial.isFinite && end.isFinite, "LinearSchedule: initial and end must be finite, got \(initial) and \(end)")
    (self.initial, self.end, self.transitionSteps) = (initial, end, transitionSteps)
    (self.transitionBegin) = (transitionBegin)
  }

  /// (η₀ − η₁) · (1 − c / transitionSteps) + η₁.
  ///
  /// - Parameter step: t.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    let count = min(max(StepArithmetic.difference(step, transitionBegin), 0), transitionSteps)
    let fraction = 1 - Double(count) / Double(transitionSteps)
    return (initial - end) * fraction + end
  }

  /// The start and the end of the transition (the values in between lie between).
  public var checkedSteps: [Int] { [0, transitionBegin, StepArithmetic.sum(transitionBegin, transitionSteps)] }
}
