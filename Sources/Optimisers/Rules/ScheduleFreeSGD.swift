/// Schedule-Free SGD: plain gradient steps on *z*, with momentum replaced by
/// interpolation (y) and averaging (x), so no learning-rate decay schedule is
/// needed.
///
/// The parameters being trained are **y**, where gradients are taken; evaluate
/// at **x** = ``evaluationParameters(_:_:)`` (nothing is changed). With
/// ηₜ = η·min(1, t/W) (warm-up over W steps, none when W = 0), t from 1:
///
///     u = g + λy
///     wₜ = t^r · (maxₛ≤ₜ ηₛ)^power,  cₜ = wₜ / Σₛ≤ₜ wₛ
///     z′ = z − ηₜu
///     x ← (1 − cₜ)x + cₜz′,  y ← βx + (1 − β)z′ = lerp(y, z, cₜ) + ηₜ(β(1 − cₜ) − 1)u
///
/// *z* starts at the initial parameters. `variant` picks the reference where
/// they differ (see ``ScheduleFreeVariant``). Train from y and the state;
/// evaluate, export or hand on x.
///
/// Matches `schedulefree.SGDScheduleFree(params, lr, momentum=β, weight_decay,
/// warmup_steps, r, weight_lr_power)` (`.schedulefree`) and
/// `optax.contrib.schedule_free_sgd(learning_rate, warmup_steps, b1,
/// weight_decay, weight_lr_power)` (`.optax`).
///
/// State: the step count, the largest rate and the weight sum, and *z*.
/// Memory: one buffer per parameter, as Momentum.
///
/// - Complexity: O(*n*) per step, one fused pass; ``evaluationParameters(_:_:)``
///   is O(*n*).
/// - References: Defazio, Yang, Mehta, Mishchenko, Khaled and Cutkosky, *The
///   Road Less Scheduled*, NeurIPS 2024.
public struct ScheduleFreeSGD<Params: Differentiable>: ScheduleFreeRule {
  /// The learning rate η ≥ 0 (1), the interpolation β ∈ (0, 1) (0.9), the
  /// weight decay λ ≥ 0 (0), the step-weight power r ≥ 0 (0; `schedulefree`
  /// only) and the learning-rate power of the averaging weight ≥ 0 (2).
  public var learningRate, momentum, weightDecay, stepPower, weightLearningRatePower: Double
  /// The length W ≥ 0 of the linear warm-up (0: none).
  public var warmupSteps: Int
  /// The reference followed where `schedulefree` and optax differ.
  public var variant: ScheduleFreeVariant

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double = 1, momentum: Double = 0.9, weightDecay: Double = 0, warmupSteps: Int = 0,
    stepPower: Double = 0, weightLearningRatePower: Double = 2, variant: ScheduleFreeVariant = .schedulefree
  ) {
    (self.learningRate, self.momentum, self.weightDecay, self.warmupSteps) = (learningRate, momentum, weightDecay, warmupSteps)
    (self.stepPower, self.weightLearningRatePower, self.variant) = (stepPower, weightLearningRatePower, variant)
    requireValidHyperparameters()
  }

  /// η, λ, r, power, W ≥ 0; β ∈ (0, 1).
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.declare(momentum, "momentum", .openUnitInterval)
    h.nonNegative(weightDecay, "weightDecay"); h.nonNegative(Double(warmupSteps), "warmupSteps")
    h.nonNegative(stepPower, "stepPower"); h.nonNegative(weightLearningRatePower, "weightLearningRatePower")
  }

  /// The step count, the averaging sums and *z*.
  public typealias State = ScheduleFreeState<Params, ScheduleFreeSGD>

  /// Step 0, *z* = `params`.
  @inlinable public func initialState(for params: Params) -> State {
    State(step: 0, maximumLearningRate: 0, weightSum: 0, z: LeafCopy.tangent(of: params), secondMoment: nil)
  }

  /// One fused pass over y, g and z.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let move = coefficients(t, walk)
    let decay = Scalar(weightDecay)
    walk { b in
      let z = b[0]
      for i in b.indices { move.apply(&b.p[i], &z[i], b.gradient(i) + decay * b.p[i]) }
    }
  }

  /// β of the interpolation y = βx + (1 − β)z: ``momentum``.
  @inlinable public var averagingBeta: Double { momentum }

  /// Checks the step count, the averaging sums and the shape of *z*.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try state.validate(for: params, keepsSecondMoment: false)
  }
}
