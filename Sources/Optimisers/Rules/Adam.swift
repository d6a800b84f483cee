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
/// default; optax's `eps_root` is ``epsilonRoot``). The arithmetic follows
/// PyTorch's order (a `lerp` for *m*, the step size η/(1 − β₁ᵗ) computed in
/// double precision, `addcdiv`'s η′ · (m / d)), so float32 runs match torch's
/// float32 closely. torch's coupled `weight_decay=λ` is ``init(learningRate:beta1:beta2:epsilon:decay:epsilonRoot:weightDecay:)``'s
/// `weightDecay` (λp added to the gradient first, as ``WeightDecay``).
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
  /// ε_root ≥ 0 inside the square root (0) and torch's coupled L2 weight decay
  /// λ ≥ 0 added to the gradient (0).
  public var learningRate, beta1, beta2, epsilon, decay, epsilonRoot, weightDecay: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, decay: Double = 0,
    epsilonRoot: Double = 0, weightDecay: Double = 0
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon, self.decay) = (learningRate, beta1, beta2, epsilon, decay)
    (self.epsilonRoot, self.weightDecay) = (epsilonRoot, weightDecay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, β₁, β₂ ∈ [0, 1), decay ≥ 0, ε, ε_root ≥ 0 not both 0, λ ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.nonNegative(decay, "decay"); h.denominatorGuards(epsilon: epsilon, epsilonRoot: epsilonRoot)
    h.nonNegative(weightDecay, "weightDecay")
  }

  /// The step count and the moments *m* and *v* (see ``MomentEstimates``).
  public typealias State = MomentEstimates<Params, Adam>

  /// One bias-corrected step, fused over p, g, m and v.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    adamStep(t, walk, shrink: 1)
  }

  /// Adam's step after the decoupled shrink p ← p · `shrink`, in the same pass:
  /// 1 for Adam itself (p · 1 is p exactly), 1 − ηλ for ``AdamW``.
  @inlinable func adamStep<Rule: BufferedState, Map: GradientMap>(_ t: Int, _ walk: Walk<Params, Rule, Map>, shrink: Scalar) {
    let stepSize = Scalar(inverseDecay(learningRate, decay, step: t) / (1 - power(beta1, Double(t))))
    let a = AdamArithmetic<Scalar>(beta1: beta1, beta2: beta2, epsilon: epsilon, epsilonRoot: epsilonRoot, step: t)
    let l2 = Scalar(weightDecay)
    func run<D: AdamDenominator>(_: D.Type) {  // one loop, specialised per form: no branch inside
      walk { b in
        let (m, v) = (b[0], b[1])
        for i in b.indices {
          let (mi, vi) = a.moments(b.gradient(i, weightDecay: l2), m, v, i)
          b.p[i] = b.p[i] * shrink - stepSize * (mi / D.of(vi, a))
        }
      }
    }
    a.hasRoot ? run(RootDenominator.self) : run(TorchDenominator.self)
  }

  /// The reflected description, without ``epsilonRoot`` and ``weightDecay`` while
  /// they are 0 (checkpoints written before they existed still load).
  public var checkpointDescription: OptimiserDescription {
    .reflecting(self, leavingOut: (epsilonRoot == 0 ? ["epsilonRoot"] : []) + (weightDecay == 0 ? ["weightDecay"] : []))
  }
}
