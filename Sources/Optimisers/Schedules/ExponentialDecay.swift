/// Exponential decay, optionally in stairs, optionally after a delay, optionally
/// stopped at a limit.
///
/// With d = t − transitionBegin:
///
///     s(t) = η                                  if d ≤ 0
///     s(t) = η · r^(d / transitionSteps)        otherwise (⌊d / transitionSteps⌋ with staircase)
///
/// then clipped from below by `limit` when r < 1 (from above when r > 1).
/// Matches `optax.exponential_decay(init_value, transition_steps, decay_rate,
/// transition_begin, staircase, end_value)`; with `transitionSteps: 1` it is
/// `torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma)`.
/// - References: `optax.exponential_decay`; TensorFlow `ExponentialDecay`.
public struct ExponentialDecay: Schedule, Equatable {
  /// The value before and at the transition's start, η.
  public var initial: Double
  /// The number of steps over which the value is multiplied by `decayRate`, > 0.
  public var transitionSteps: Int
  /// The decay rate r > 0 per `transitionSteps` steps.
  public var decayRate: Double
  /// The step at which decay starts; before it the value is η.
  public var transitionBegin: Int
  /// Whether the exponent is rounded down to an integer (drops every
  /// `transitionSteps` steps) instead of decaying smoothly.
  public var staircase: Bool
  /// An optional bound the value never passes: a floor when r < 1, a ceiling
  /// when r > 1.
  public var limit: Double?

  /// Creates an exponential decay.
  ///
  /// - Parameters:
  ///   - initial: η.
  ///   - transitionSteps: Steps per factor r; > 0.
  ///   - decayRate: r > 0.
  ///   - transitionBegin: Steps before decay starts, ≥ 0; default 0.
  ///   - staircase: Decay in whole steps of r; default `false`.
  ///   - limit: A floor (r < 1) or ceiling (r > 1); default none.
  /// - Precondition: `transitionSteps` > 0, `decayRate` > 0, `transitionBegin` ≥ 0.
  @inlinable public init(
    initial: Double, transitionSteps: Int, decayRate: Double, transitionBegin: Int = 0,
    staircase: Bool = false, limit: Double? = nil
  ) {
    precondition(transitionSteps > 0, "ExponentialDecay: transitionSteps must be > 0, got \(transitionSteps)")
    precondition(decayRate > 0, "ExponentialDecay: decayRate must be > 0, got \(decayRate)")
    precondition(transitionBegin >= 0, "ExponentialDecay: transitionBegin must be ≥ 0, got \(transitionBegin)")
    precondition(initial.isFinite && decayRate.isFinite,
                 "ExponentialDecay: initial and decayRate must be finite, got \(initial) and \(decayRate)")
    precondition(!(limit?.isNaN ?? false), "ExponentialDecay: limit must not be NaN")
    (self.initial, self.transitionSteps, self.decayRate) = (initial, transitionSteps, decayRate)
    (self.transitionBegin, self.staircase, self.limit) = (transitionBegin, staircase, limit)
  }

  /// η · r^((t − begin) / transitionSteps), clipped at ``limit``.
  ///
  /// - Parameter step: t.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    let decreased = StepArithmetic.difference(step, transitionBegin)
    var value = initial
    if decreased > 0 && initial != 0 {
      var exponent = Double(decreased) / Double(transitionSteps)
      if staircase { exponent = exponent.rounded(.down) }
      value = initial * power(decayRate, exponent)
    }
    if let limit {
      value = decayRate < 1 ? max(value, limit) : min(value, limit)
    }
    return value
  }

  /// The start and the end of the first transition.
  public var checkedSteps: [Int] { [0, transitionBegin, StepArithmetic.sum(transitionBegin, transitionSteps)] }
}
