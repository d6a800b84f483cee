/// Adam: adaptive moment estimation, bias-corrected, ε outside the square root.
///
/// With g′ = map(g) and t the step number counted from 1:
///
///     ηₜ = η / (1 + decay · (t − 1))
///     m ← m + (1 − β₁)(g′ − m)            (= β₁m + (1 − β₁)g′)
///     v ← β₂ v + (1 − β₂) g′²
///     p ← p − (ηₜ / (1 − β₁ᵗ)) · (m / (√(v / (1 − β₂ᵗ) + ε_root) + ε))
///
/// Both moments start at zero and are bias-corrected by 1 − βᵗ; ε is added
/// *after* the square root and after the second-moment correction, as in
/// `torch.optim.Adam(params, lr, betas=(β₁, β₂), eps)` and
/// `optax.adam(lr, b1, b2, eps, eps_root)` (they agree when ε_root = 0, the
/// default; optax's `eps_root` is ``epsilonRoot``). *m* is PyTorch's `lerp`
/// and η′ = ηₜ/(1 − β₁ᵗ) is rounded once from double precision, as in torch;
/// the last product is (η′ · m) / d rather than `addcdiv`'s η′ · (m / d): one
/// operation fewer after the division keeps a fused chain's loop at the memory
/// bus on one thread, and the torch fixtures agree as closely (float64 within
/// 2e-16, float32 within 1e-7). torch's `weight_decay=λ` is ``weightDecay``:
/// coupled (λp added to the gradient first, as ``WeightDecay``), or with
/// `decoupledWeightDecay` (torch's `decoupled_weight_decay=True`) the shrink
/// p ← p · (1 − ηₜλ) before the step, which makes Adam ``AdamW``.
///
/// State: the step count and the moments *m* and *v*. Memory: two buffers per
/// parameter.
///
/// - Complexity: O(*n*) per step, one fused pass reading p, g, m, v and writing
///   p, m, v.
/// - References: Kingma and Ba, *Adam: A Method for Stochastic Optimization*,
///   ICLR 2015.
public struct Adam<Params: Differentiable>: KernelRule, CheckpointDescribable {
  /// The learning rate η ≥ 0 (0.001), the moment decays β₁, β₂ ∈ [0, 1) (0.9 and
  /// 0.999), the guard ε ≥ 0 (> 0 when ε_root = 0) outside the square root (1e-8), the inverse decay
  /// ≥ 0 of the seed's rules, ηₜ = η / (1 + decay · (t − 1)) (0), optax's guard
  /// ε_root ≥ 0 inside the square root (0) and torch's weight decay λ ≥ 0 (0).
  public var learningRate, beta1, beta2, epsilon, decay, epsilonRoot, weightDecay: Double
  /// Whether λ shrinks the parameters (AdamW) instead of adding λp to the gradient (false).
  public var decoupledWeightDecay: Bool

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    decay: Double = 0, epsilonRoot: Double = 0, weightDecay: Double = 0, decoupledWeightDecay: Bool = false) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon, self.decay) = (learningRate, beta1, beta2, epsilon, decay)
    (self.epsilonRoot, self.weightDecay, self.decoupledWeightDecay) = (epsilonRoot, weightDecay, decoupledWeightDecay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, β₁, β₂ ∈ [0, 1), decay ≥ 0, ε, ε_root ≥ 0 not both 0, λ ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.adaptiveMoments(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, epsilonRoot: epsilonRoot, rootIsAddedOption: true)
    h.nonNegative(decay, "decay"); h.option(weightDecay, "weightDecay"); h.option(decoupledWeightDecay, "decoupledWeightDecay")
  }

  /// The step count and the moments *m* and *v* (see ``MomentEstimates``).
  public typealias State = MomentEstimates<Params, Adam>

  /// One bias-corrected step, fused over p, g, m and v (``AdamW`` passes its own state's walk).
  @inlinable public func step<Rule, Map: GradientMap>(_ t: Int, _ walk: Walk<Params, MomentEstimates<Params, Rule>, Map>) {
    AdamArithmetic<Scalar>(self, step: t, learningRate: inverseDecay(learningRate, decay, step: t)).run(Adam.self, walk)
  }

  /// One element, with the coefficients of its step and the denominator form ε_root selects.
  @inlinable static func update<S, D: AdamDenominator>(
    _ p: inout S, _ g: S, _ m: inout S, _ v: inout S, _ a: AdamArithmetic<S>, _: D.Type
  ) {
    a.moments(g, &m, &v)
    p -= a.stepSize * m / D.of(v, a)  // p is already shrunk by 1 − ηₜλ when decoupled
  }
}
