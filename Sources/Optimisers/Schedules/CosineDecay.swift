import COptimisers

/// Cosine decay to a floor, held after `decaySteps`.
///
/// With c = min(t, decaySteps) and α the floor as a fraction of η:
///
///     d(t) = ½ (1 + cos(π c / decaySteps))
///     s(t) = η · ((1 − α) · d(t)^p + α)
///
/// Matches `optax.cosine_decay_schedule(init_value, decay_steps, alpha,
/// exponent)`, and `torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max,
/// eta_min)` for t ≤ T_max with α = eta_min / lr (torch continues the cosine
/// upwards after T_max; this schedule holds the floor).
/// - References: Loshchilov and Hutter, *SGDR: Stochastic Gradient Descent with
///   Warm Restarts*, ICLR 2017.
public struct CosineDecay: Schedule, Equatable {
  /// The value at step 0, η.
  public var initial: Double
  /// The number of steps to reach the floor, > 0.
  public var decaySteps: Int
  /// The floor as a fraction α of η: the value from `decaySteps` on is α · η.
  public var alpha: Double
  /// The exponent p applied to the cosine factor; 1 is plain cosine.
  public var exponent: Double

  /// Creates a cosine decay.
  ///
  /// - Parameters:
  ///   - initial: η.
  ///   - decaySteps: Steps to the floor; > 0.
  ///   - alpha: The floor as a fraction of η; default 0.
  ///   - exponent: p; default 1.
  /// - Precondition: `decaySteps` > 0.
  @inlinable public init(initial: Double, decaySteps: Int, alpha: Double = 0, exponent: Double = 1) {
    precondition(decaySteps > 0, "CosineDecay: decaySteps must be > 0, got \(decaySteps)")
    precondition(initial.isFinite && alpha.isFinite, "CosineDecay: initial and alpha must be finite, got \(initial) and \(alpha)")
    precondition(exponent > 0 && exponent.isFinite, "CosineDecay: exponent must be finite and > 0, got \(exponent)")
    (self.initial, self.decaySteps, self.alpha, self.exponent) = (initial, decaySteps, alpha, exponent)
  }

  /// η · ((1 − α) · ½(1 + cos(π c / decaySteps))^p + α).
  ///
  /// - Parameter step: t (negative steps give η).
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    let count = Double(min(max(step, 0), decaySteps))
    let cosine = 0.5 * (1 + optimisers_cos(Double.pi * count / Double(decaySteps)))
    let decayed = (1 - alpha) * (exponent == 1 ? cosine : power(cosine, exponent)) + alpha
    return initial * decayed
  }

  /// The start and the end of the decay.
  public var checkedSteps: [Int] { [0, decaySteps] }
}
