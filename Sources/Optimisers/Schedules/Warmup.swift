/// A linear warmup in front of any schedule.
///
/// For t < w the value rises linearly from `initial` to the base's first value;
/// from step w on, the base runs from its own step 0:
///
///     s(t) = (v₀ − b(0)) · (1 − t / w) + b(0)     for t < w
///     s(t) = b(t − w)                            for t ≥ w
///
/// With w = 0 this is the base itself. `Warmup(ExponentialDecay(...), steps: w,
/// initial: v₀)` is `optax.warmup_exponential_decay_schedule`.
///
/// ```swift
/// let rate = Warmup(CosineDecay(initial: 1e-3, decaySteps: 10_000), steps: 500)
/// ```
///
/// - Complexity: One evaluation of the base (two during the warmup).
/// - References: Goyal et al., *Accurate, Large Minibatch SGD: Training ImageNet
///   in 1 Hour*, 2017 (gradual warmup).
public struct Warmup<Base: Schedule>: Schedule {
  /// The schedule that runs after the warmup.
  public var base: Base
  /// The warmup's length w in steps, ≥ 0.
  public var steps: Int
  /// The value at step 0, v₀.
  public var initial: Double

  /// Puts a linear warmup in front of `base`.
  ///
  /// - Parameters:
  ///   - base: The schedule after the warmup; it sees the steps since the warmup ended.
  ///   - steps: The warmup's length w ≥ 0.
  ///   - initial: v₀, the value at step 0; default 0.
  /// - Precondition: `steps` ≥ 0.
  @inlinable public init(_ base: Base, steps: Int, initial: Double = 0) {
    precondition(steps >= 0, "Warmup: steps must be ≥ 0, got \(steps)")
    precondition(initial.isFinite, "Warmup: initial must be finite, got \(initial)")
    (self.base, self.steps, self.initial) = (base, steps, initial)
  }

  /// The warmup ramp for t < w, then the base at t − w.
  ///
  /// - Parameter step: t (negative steps give v₀ when w > 0).
  /// - Complexity: One or two evaluations of the base.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    guard steps > 0, step < steps else { return base(StepArithmetic.difference(step, steps)) }
    let target = base(0)
    let fraction = 1 - Double(max(step, 0)) / Double(steps)
    return (initial - target) * fraction + target
  }

  /// The start, the end of the warm-up, and the base's steps after it.
  ///
  /// - Complexity: O(the base's steps).
  public var checkedSteps: [Int] { [0, steps] + StepArithmetic.shifted(base.checkedSteps, by: steps) }
}

extension Warmup: Equatable where Base: Equatable {}

extension Schedule {
  /// This schedule behind a linear warmup of `steps` steps from `initial`.
  ///
  /// - Parameters:
  ///   - steps: The warmup's length ≥ 0.
  ///   - initial: The value at step 0; default 0.
  /// - Returns: `Warmup(self, steps: steps, initial: initial)`.
  @inlinable public func warmedUp(over steps: Int, from initial: Double = 0) -> Warmup<Self> {
    Warmup(self, steps: steps, initial: initial)
  }
}
