/// Schedule-Free AdamW: Adam's normalisation without momentum, with the
/// momentum replaced by interpolation (y) and averaging (x), so no
/// learning-rate decay schedule is needed.
///
/// The parameters being trained are **y**, where gradients are taken. Evaluate
/// (validation loss, export, inference) at **x**, which
/// ``evaluationParameters(_:_:)`` computes from the state and y without
/// changing either. With ηₜ = η·min(1, t/W) (warm-up over W steps, none when
/// W = 0), t counted from 1:
///
///     v ← β₂v + (1 − β₂)g²
///     u = g / (√(v / (1 − β₂ᵗ)) + ε) + λy
///     wₜ = t^r · (maxₛ≤ₜ ηₛ)^power,  cₜ = wₜ / Σₛ≤ₜ wₛ
///     z′ = z − ηₜu
///     x ← (1 − cₜ)x + cₜz′,  y ← βx + (1 − β)z′ = lerp(y, z, cₜ) + ηₜ(β(1 − cₜ) − 1)u
///
/// *z* starts at the initial parameters, ε is outside the square root, the
/// weight decay λ is taken at y and scaled by ηₜ. `variant` picks the
/// reference where they differ (optax steps z at η_{t−1} during warm-up; the
/// arithmetic order; see ``ScheduleFreeVariant``).
///
/// **Which parameters to use.** Take gradients at the parameters you train
/// (y). Evaluate, checkpoint for inference, or hand the model on at
/// `evaluationParameters(state, params)` (x). Keep training from y and the
/// state, never from x.
///
/// Matches `schedulefree.AdamWScheduleFree(params, lr, betas=(β, β₂), eps,
/// weight_decay, warmup_steps, r, weight_lr_power)` (`.schedulefree`, training
/// parameters after `step()` in train mode, evaluation parameters after
/// `eval()`) and `optax.contrib.schedule_free_adamw(learning_rate,
/// warmup_steps, b1, b2, eps, weight_decay, weight_lr_power)` (`.optax`,
/// `schedule_free_eval_params`).
///
/// State: the step count, the largest rate and the weight sum, *z* and *v*.
/// Memory: two buffers per parameter, as Adam.
///
/// - Complexity: O(*n*) per step, one fused pass; ``evaluationParameters(_:_:)``
///   is O(*n*).
/// - References: Defazio, Yang, Mehta, Mishchenko, Khaled and Cutkosky, *The
///   Road Less Scheduled*, NeurIPS 2024.
public struct ScheduleFreeAdamW<Params: Differentiable>: ScheduleFreeRule {
  /// The learning rate η ≥ 0 (0.0025), the interpolation β ∈ (0, 1) (0.9), the
  /// second-moment decay β₂ ∈ [0, 1) (0.999), the guard ε > 0 (1e-8), the
  /// weight decay λ ≥ 0 (0), the step-weight power r ≥ 0 (0; `schedulefree`
  /// only) and the learning-rate power of the averaging weight ≥ 0 (2).
  public var learningRate, beta1, beta2, epsilon, weightDecay, stepPower, weightLearningRatePower: Double
  /// The length W ≥ 0 of the linear warm-up (0: none).
  public var warmupSteps: Int
  /// The reference followed where `schedulefree` and optax differ.
  public var variant: ScheduleFreeVariant

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double = 0.0025, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    weightDecay: Double = 0, warmupSteps: Int = 0, stepPower: Double = 0, weightLearningRatePower: Double = 2,
    variant: ScheduleFreeVariant = .schedulefree
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
    (self.weightDecay, self.warmupSteps, self.stepPower) = (weightDecay, warmupSteps, stepPower)
    (self.weightLearningRatePower, self.variant) = (weightLearningRatePower, variant)
    requireValidHyperparameters()
  }

  /// η, λ, r, power, W ≥ 0; β ∈ (0, 1); β₂ ∈ [0, 1); ε > 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.declare(beta1, "beta1", .openUnitInterval)
    h.unitInterval(beta2, "beta2"); h.positive(epsilon, "epsilon"); h.nonNegative(weightDecay, "weightDecay")
    h.nonNegative(Double(warmupSteps), "warmupSteps"); h.nonNegative(stepPower, "stepPower")
    h.nonNegative(weightLearningRatePower, "weightLearningRatePower")
  }

  /// The step count, the averaging sums, *z* and *v*.
  public typealias State = ScheduleFreeState<Params, ScheduleFreeAdamW>

  /// Step 0, *z* = `params`, *v* = 0.
  @inlinable public func initialState(for params: Params) -> State {
    State(
      step: 0, maximumLearningRate: 0, weightSum: 0, z: LeafCopy.tangent(of: params),
      secondMoment: params.zeroTangentVector)
  }

  /// One fused pass over y, g, z and v.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let move = coefficients(t, walk)
    let keep2 = Scalar(beta2), mix2 = Scalar(1 - beta2), correction2 = Scalar(1 - power(beta2, Double(t)))
    let eps = Scalar(epsilon), decay = Scalar(weightDecay)
    walk { b in
      let (z, v) = (b[0], b[1])
      for i in b.indices {
        let g = b.gradient(i), vi = keep2 * v[i] + mix2 * g * g
        v[i] = vi
        let u = g / (Scalar.squareRoot(of: vi / correction2) + eps) + decay * b.p[i]
        move.apply(&b.p[i], &z[i], u)
      }
    }
  }

  /// β of the interpolation y = βx + (1 − β)z: ``beta1``.
  @inlinable public var averagingBeta: Double { beta1 }

  /// Checks the step count, the averaging sums and the shapes of *z* and *v*.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try state.validate(for: params, keepsSecondMoment: true)
  }
}
