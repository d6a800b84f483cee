/// Polynomial decay from an initial to an end value.
///
/// With c = clamp(t − transitionBegin, 0, transitionSteps):
///
///     s(t) = (η₀ − η₁) · (1 − c / transitionSteps)^p + η₁
///
/// Matches `optax.polynomial_schedule(init_value, end_value, power,
/// transition_steps, transition_begin)` and, with η₁ = 0,
/// `torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters, power)`.
/// - References: `optax.polynomial_schedule`; PyTorch `PolynomialLR`.
public struct PolynomialDecay: Schedule, Equatable {
  /// The value at the transition's start, η₀.
  public var initial: Double
  /// The value from the transition's end on, η₁.
  public var end: Double
  /// The exponent p.
  public var exponent: Double
  /// The length of the transition in steps, > 0.
  public var transitionSteps: Int
  /// The step at which the transition starts, ≥ 0.
  public var transitionBegin: Int

  /// Creates a polynomial decay.
  ///
  /// - Parameters:
  ///   - initial: η₀.
  ///   - end: η₁.
  ///   - exponent: p; default 1 (linear).
  ///   - transitionSteps: Length of the transition; > 0.
  ///   - transitionBegin: Steps before it starts; default 0.
  /// - Precondition: `transitionSteps` > 0 and `transitionBegin` ≥ 0.
  @inlinable public init(
    initial: Double, end: Double, exponent: Double = 1, transitionSteps: Int, transitionBegin: Int = 0
  ) {
    precondition(transitionSteps > 0, "PolynomialDecay: transitionSteps must be > 0, got \(transitionSteps)")
    precondition(transitionBegin >= 0, "PolynomialDecay: transitionBegin must be ≥ 0, got \(transitionBegin)")
    precondition(initial.isFinite && end.isFinite, "PolynomialDecay: initial and end must be finite, got \(initial) and \(end)")
    precondition(exponent >= 0 && exponent.isFinite,
                 "PolynomialDecay: exponent must be finite and ≥ 0 (a negative one is infinite at the end), got \(exponent)")
    (self.initial, self.end, self.exponent, self.transitionSteps) = (initial, end, exponent, transitionSteps)
    (self.transitionBegin) = (transitionBegin)
  }

  /// (η₀ − η₁) · (1 − c / transitionSteps)^p + η₁.
  ///
  /// - Parameter step: t.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    let count = min(max(StepArithmetic.difference(step, transitionBegin), 0), transitionSteps)
    let fraction = 1 - Double(count) / Double(transitionSteps)
    return (initial - end) * power(fraction, exponent) + end
  }

  /// The start and the end of the transition (the values in between lie between).
  public var checkedSteps: [Int] { [0, transitionBegin, StepArithmetic.sum(transitionBegin, transitionSteps)] }
}
