/// Step decay: the value is multiplied by `factor` every `stepSize` steps.
///
///     s(t) = η · γ^⌊t / stepSize⌋
///
/// Matches `torch.optim.lr_scheduler.StepLR(optimizer, step_size, gamma)` with
/// our step t equal to torch's `last_epoch` (the number of `scheduler.step()`
/// calls made before the update).
/// - References: Goyal et al., *Accurate, Large Minibatch SGD*, 2017 (step
///   schedules); PyTorch `StepLR`.
public struct StepDecay: Schedule, Equatable {
  /// The value at step 0, η.
  public var initial: Double
  /// The multiplier γ applied at each drop.
  public var factor: Double
  /// The number of steps between drops, > 0.
  public var stepSize: Int

  /// Creates a step decay.
  ///
  /// - Parameters:
  ///   - initial: η, the value at step 0.
  ///   - factor: γ, applied every `stepSize` steps; default 0.1.
  ///   - stepSize: Steps between drops; > 0.
  /// - Precondition: `stepSize` > 0.
  @inlinable public init(initial: Double, factor: Double = 0.1, stepSize: Int) {
    precondition(stepSize > 0, "StepDecay: stepSize must be > 0, got \(stepSize)")
    precondition(initial.isFinite && factor.isFinite && factor >= 0,
                 "StepDecay: initial must be finite and factor finite and ≥ 0, got \(initial) and \(factor)")
    (self.initial, self.factor, self.stepSize) = (initial, factor, stepSize)
  }

  /// η · γ^⌊t / stepSize⌋ (negative steps give η).
  ///
  /// - Parameter step: t.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    guard step >= stepSize, initial != 0 else { return initial }
    return initial * power(factor, Double(step / stepSize))
  }

  /// The start and the first decay.
  public var checkedSteps: [Int] { [0, stepSize] }
}
