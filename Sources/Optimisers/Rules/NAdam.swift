/// NAdam: Adam with Nesterov momentum.
///
/// With g′ = map(g), t the step number counted from 1, and both moments
/// starting at zero:
///
///     m ← m + (1 − β₁)(g′ − m);   v ← β₂ v + (1 − β₂) g′²
///
/// ``Variant/pytorch`` (the default) uses Dozat's momentum schedule, with
/// ψ = `momentumDecay`:
///
///     μₜ = β₁ (1 − ½ · 0.96^(t·ψ)),   Πₜ = μ₁ ⋯ μₜ
///     d = √(v / (1 − β₂ᵗ) + ε_root) + ε
///     p ← p − η (1 − μₜ) / (1 − Πₜ) · g′ / d − η μₜ₊₁ / (1 − Πₜ μₜ₊₁) · m / d
///
/// ``Variant/optax`` uses the plain Nesterov form without a schedule
/// (`momentumDecay` is ignored):
///
///     m̂ = β₁ m / (1 − β₁ᵗ⁺¹) + (1 − β₁) g′ / (1 − β₁ᵗ)
///     p ← p − η · m̂ / (√(v / (1 − β₂ᵗ) + ε_root) + ε)
///
/// ε is outside the square root in both, optax's ε_root inside (0 by default).
/// `.pytorch` reproduces `torch.optim.NAdam(params, lr=η, betas=(β₁, β₂), eps=ε,
/// momentum_decay=ψ, weight_decay=λ)` (λ coupled: λp joins the gradient first);
/// `.optax` reproduces `optax.nadam(η, b1, b2, eps, eps_root)`. The defaults
/// follow PyTorch (η = 0.002; optax has no default rate).
///
/// State: the step count, the product Πₜ (kept in double precision, as a
/// running product like PyTorch's `mu_product`; it stays 1 under `.optax`), *m*
/// and *v*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Dozat, *Incorporating Nesterov Momentum into Adam*, ICLR
///   Workshop 2016.
public struct NAdam<Params: Differentiable>: KernelRule, CheckpointDescribable {
  /// Which reference's Nesterov form to use.
  ///
  /// - Complexity: O(1).
  public enum Variant: String, Codable, Sendable, Hashable {
    /// Dozat's momentum-decay schedule: `torch.optim.NAdam`.
    case pytorch
    /// The plain Nesterov form with β₁ fixed: `optax.nadam`.
    case optax
  }

  /// The learning rate η ≥ 0 (0.002), the moment decays β₁, β₂ ∈ [0, 1) (0.9 and
  /// 0.999), the guard ε ≥ 0 (> 0 when ε_root = 0) outside the square root (1e-8), the momentum decay
  /// ψ ≥ 0 of `.pytorch` (0.004), optax's guard ε_root ≥ 0 inside the square
  /// root (0) and torch's coupled weight decay λ ≥ 0 (0).
  public var learningRate, beta1, beta2, epsilon, momentumDecay, epsilonRoot, weightDecay: Double
  /// Which reference's Nesterov form to use (``Variant/pytorch``).
  public var variant: Variant

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 0.002, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    momentumDecay: Double = 0.004, variant: Variant = .pytorch, epsilonRoot: Double = 0, weightDecay: Double = 0
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
    (self.momentumDecay, self.variant, self.epsilonRoot, self.weightDecay) = (momentumDecay, variant, epsilonRoot, weightDecay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, β₁, β₂ ∈ [0, 1), ψ ≥ 0, ε, ε_root ≥ 0 not both 0, λ ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.nonNegative(momentumDecay, "momentumDecay"); h.denominatorGuards(epsilon: epsilon, epsilonRoot: epsilonRoot, rootIsAddedOption: true)
    h.option(weightDecay, "weightDecay")
  }

  /// The step count, the momentum product Πₜ, *m* and *v*.
  public struct State: BufferedState, Equatable {
    var rule = RuleTag<NAdam>()
    /// The number of updates applied so far.
    public var step: Int
    /// Πₜ = μ₁ ⋯ μₜ (1 before the first step and under `.optax`).
    public var momentumProduct: Double
    /// *m* and *v*, shaped like the parameters.
    public var firstMoment, secondMoment: Params.TangentVector

    /// A state from its parts.
    @inlinable public init(
      step: Int, momentumProduct: Double, firstMoment: Params.TangentVector, secondMoment: Params.TangentVector
    ) {
      (self.step, self.momentumProduct, self.firstMoment, self.secondMoment) = (step, momentumProduct, firstMoment, secondMoment)
    }

    /// *m*, then *v*.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&firstMoment, "firstMoment")
      visitor.visit(&secondMoment, "secondMoment")
    }
  }

  /// Step 0, Π₀ = 1 and zero moments.
  @inlinable public func initialState(for params: Params) -> State {
    let zero = params.zeroTangentVector
    return State(step: 0, momentumProduct: 1, firstMoment: zero, secondMoment: zero)
  }

  /// μₜ = β₁ (1 − ½ · 0.96^(t·ψ)).
  @inlinable func momentumCoefficient(_ t: Double) -> Double { beta1 * (1 - 0.5 * power(0.96, t * momentumDecay)) }

  /// Advances Πₜ (`.pytorch`), then steps.
  @inlinable public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    if variant == .pytorch { state.momentumProduct *= momentumCoefficient(Double(state.step + 1)) }
    runStep(&state, &params, gradient, preprocessing: map)
  }

  /// One step, fused over p, g, m and v.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let time = Double(t)
    // Per-step coefficients of g′/d and m/d, in double precision.
    let gradientWeight: Double, momentWeight: Double
    switch variant {
    case .pytorch:
      let mu = momentumCoefficient(time), muNext = momentumCoefficient(time + 1)
      let product = walk.read { $0.momentumProduct }
      gradientWeight = learningRate * (1 - mu) / (1 - product)
      momentWeight = learningRate * muNext / (1 - product * muNext)
    case .optax:
      gradientWeight = learningRate * (1 - beta1) / (1 - power(beta1, time))
      momentWeight = learningRate * beta1 / (1 - power(beta1, time + 1))
    }
    let a = AdamArithmetic<Scalar>(beta1: beta1, beta2: beta2, epsilon: epsilon, epsilonRoot: epsilonRoot, step: t)
    let torchForm = variant == .pytorch, l2 = Scalar(weightDecay)
    let gWeight = Scalar(gradientWeight), mWeight = Scalar(momentWeight), rate = Scalar(learningRate), beta = Scalar(beta1)
    let c1 = Scalar(1 - power(beta1, time)), c1Next = Scalar(1 - power(beta1, time + 1))
    walk { b in
      b.forEachGradient(weightDecay: l2) { i, g in
        let (mi, vi) = a.moments(g, &b[0][i], &b[1][i]), d = a.correctedDenominator(vi)
        if torchForm {
          b.p[i] -= gWeight * (g / d)
          b.p[i] -= mWeight * (mi / d)
        } else {
          b.p[i] -= rate * ((beta * (mi / c1Next) + a.mix1 * (g / c1)) / d)
        }
      }
    }
  }

  /// Checks Πₜ ∈ [0, 1], the step count and the buffers' shapes.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
    guard state.momentumProduct.isFinite, state.momentumProduct >= 0, state.momentumProduct <= 1 else {
      throw .invalidState("momentum product \(state.momentumProduct) is not in [0, 1]")
    }
    try state.validate(for: params)
  }
}
