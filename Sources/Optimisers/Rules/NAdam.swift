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
///     d = √(v / (1 − β₂ᵗ)) + ε
///     p ← p − η (1 − μₜ) / (1 − Πₜ) · g′ / d − η μₜ₊₁ / (1 − Πₜ μₜ₊₁) · m / d
///
/// ``Variant/optax`` uses the plain Nesterov form without a schedule
/// (`momentumDecay` is ignored):
///
///     m̂ = β₁ m / (1 − β₁ᵗ⁺¹) + (1 − β₁) g′ / (1 − β₁ᵗ)
///     p ← p − η · m̂ / (√(v / (1 − β₂ᵗ)) + ε)
///
/// ε is outside the square root in both. `.pytorch` reproduces
/// `torch.optim.NAdam(params, lr=η, betas=(β₁, β₂), eps=ε, momentum_decay=ψ)`;
/// `.optax` reproduces `optax.nadam(η, b1, b2, eps, eps_root=0)`. The defaults
/// follow PyTorch (η = 0.002; optax has no default rate).
///
/// State: the step count, the product Πₜ (kept in double precision, as a
/// running product like PyTorch's `mu_product`; it stays 1 under `.optax`), *m*
/// and *v*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Dozat, *Incorporating Nesterov Momentum into Adam*, ICLR
///   Workshop 2016.
public struct NAdam<Params: Differentiable>: KernelRule {
  /// Which reference's Nesterov form to use.
  ///
  /// - Complexity: O(1).
  public enum Variant: String, Codable, Sendable, Hashable {
    /// Dozat's momentum-decay schedule: `torch.optim.NAdam`.
    case pytorch
    /// The plain Nesterov form with β₁ fixed: `optax.nadam`.
    case optax
  }

  /// The learning rate η; default 0.002.
  public var learningRate: Double
  /// The first-moment decay β₁ ∈ [0, 1); default 0.9.
  public var beta1: Double
  /// The second-moment decay β₂ ∈ [0, 1); default 0.999.
  public var beta2: Double
  /// The denominator's guard ε > 0, outside the square root; default 1e-8.
  public var epsilon: Double
  /// The momentum-schedule rate ψ ≥ 0 (``Variant/pytorch`` only); default 0.004.
  public var momentumDecay: Double
  /// Which form to use; default ``Variant/pytorch``.
  public var variant: Variant

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.002.
  ///   - beta1: β₁ ∈ [0, 1); default 0.9.
  ///   - beta2: β₂ ∈ [0, 1); default 0.999.
  ///   - epsilon: ε > 0; default 1e-8.
  ///   - momentumDecay: ψ ≥ 0; default 0.004.
  ///   - variant: Default `.pytorch`.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 0.002, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    momentumDecay: Double = 0.004, variant: Variant = .pytorch
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.momentumDecay = momentumDecay
    self.variant = variant
    requireValidHyperparameters()
  }

  /// The step count, the momentum product and both moments.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: BufferedState, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<NAdam>()
    /// The number of updates applied so far.
    public var step: Int
    /// Πₜ = μ₁ ⋯ μₜ, the product of the scheduled momenta so far (1 at step 0).
    public var momentumProduct: Double
    /// The first-moment estimate *m*.
    public var firstMoment: Params.TangentVector
    /// The second-moment estimate *v*.
    public var secondMoment: Params.TangentVector

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - momentumProduct: Πₜ.
    ///   - firstMoment: *m*.
    ///   - secondMoment: *v*.
    /// - Complexity: O(1).
    @inlinable
    public init(
      step: Int, momentumProduct: Double, firstMoment: Params.TangentVector, secondMoment: Params.TangentVector
    ) {
      self.step = step
      self.momentumProduct = momentumProduct
      self.firstMoment = firstMoment
      self.secondMoment = secondMoment
    }

    /// The buffers, in the kernel's order.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&firstMoment, "firstMoment")
      visitor.visit(&secondMoment, "secondMoment")
    }
  }

  /// Step 0, Π₀ = 1 and zero moments.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    let zero = params.zeroTangentVector
    return State(step: 0, momentumProduct: 1, firstMoment: zero, secondMoment: zero)
  }

  /// μₜ = β₁(1 − ½ · 0.96^(t · ψ)), torch's momentum schedule.
  @inlinable
  func momentumCoefficient(_ t: Double) -> Double { beta1 * (1 - 0.5 * power(0.96, t * momentumDecay)) }

  /// Advances the product of μ (torch's form) before the step reads it.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    if variant == .pytorch { state.momentumProduct *= momentumCoefficient(Double(state.step + 1)) }
    runStep(&state, &params, gradient, preprocessing: map)
  }

  /// One step, fused over the parameters, the gradient and the state's buffers.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let t = Double(t)
    let correction2 = 1 - power(beta2, t)
    // Per-step coefficients of g′/d and m/d, in double precision.
    let gradientWeight: Double, momentWeight: Double
    switch variant {
    case .pytorch:
      let mu = momentumCoefficient(t), muNext = momentumCoefficient(t + 1)
      let product = walk.read { $0.momentumProduct }
      gradientWeight = learningRate * (1 - mu) / (1 - product)
      momentWeight = learningRate * muNext / (1 - product * muNext)
    case .optax:
      gradientWeight = learningRate * (1 - beta1) / (1 - power(beta1, t))
      momentWeight = learningRate * beta1 / (1 - power(beta1, t + 1))
    }
    let torchForm = variant == .pytorch
    let a = S(gradientWeight), bWeight = S(momentWeight)
    let mix1 = S(1 - beta1), keep2 = S(beta2), mix2 = S(1 - beta2), eps = S(epsilon), c2 = S(correction2)
    let rate = S(learningRate), beta = S(beta1)
    let c1 = S(1 - power(beta1, t)), c1Next = S(1 - power(beta1, t + 1))
    walk { b in
      let (p, m, v) = (b.p, b[0], b[1])
      for i in b.indices {
        let gi = b.gradient(i)
        let mi = m[i] + mix1 * (gi - m[i])
        let vi = keep2 * v[i] + mix2 * gi * gi
        m[i] = mi
        v[i] = vi
        let d = S.squareRoot(of: vi / c2) + eps
        if torchForm {
          p[i] -= a * (gi / d)
          p[i] -= bWeight * (mi / d)
        } else {
          let nesterov = beta * (mi / c1Next) + mix1 * (gi / c1)
          p[i] -= rate * (nesterov / d)
        }
      }
    }
  }

  /// Checks the step count, the product and both moments' shapes.
  ///
  /// - Complexity: O(leaves).
  @inlinable
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
    guard state.momentumProduct.isFinite, state.momentumProduct >= 0, state.momentumProduct <= 1 else {
      throw .invalidState("momentum product \(state.momentumProduct) is not in [0, 1]")
    }
    try state.validate(for: params)
  }

  /// Declares each hyperparameter's range.
  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.positive(epsilon, "epsilon"); h.nonNegative(momentumDecay, "momentumDecay")
  }
}
