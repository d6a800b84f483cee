/// Lion: sign descent on an interpolation of the gradient and a momentum,
/// with decoupled weight decay.
///
/// With g′ = map(g), λ the weight decay and *m* starting at zero:
///
///     c = (1 − β₁) g′ + β₁ m
///     p ← p − η (sign(c) + λ p)
///     m ← (1 − β₂) g′ + β₂ m
///
/// β₁ mixes the step direction and β₂ the momentum that is kept, as in the
/// paper's Algorithm 2 and `optax.lion(η, b1, b2, weight_decay=λ)`, which this
/// reproduces (sign(0) = 0). The weight decay is scaled by η. Every step moves
/// each coordinate by η (plus the decay) whatever the gradient's size, so use a
/// learning rate 3–10× smaller than Adam's. Defaults: η = 1e-4, β₁ = 0.9,
/// β₂ = 0.99 (the paper's), λ = 0 (optax's is 1e-3).
///
/// There is no ε and no bias correction. A zero gradient is a fixed point only
/// with a zero momentum and λ = 0.
///
/// State: the step count and *m*. Memory: one buffer per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Chen et al., *Symbolic Discovery of Optimization Algorithms*,
///   NeurIPS 2023.
public struct Lion<Params: Differentiable>: Optimiser {
  /// The learning rate η; default 1e-4.
  public var learningRate: Double
  /// The interpolation weight β₁ ∈ [0, 1] of the momentum in the step
  /// direction; default 0.9.
  public var beta1: Double
  /// The momentum decay β₂ ∈ [0, 1); default 0.99.
  public var beta2: Double
  /// The decoupled weight decay λ ≥ 0 (multiplied by η); default 0.
  public var weightDecay: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 1e-4.
  ///   - beta1: β₁ ∈ [0, 1]; default 0.9.
  ///   - beta2: β₂ ∈ [0, 1); default 0.99.
  ///   - weightDecay: λ ≥ 0; default 0.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(learningRate: Double = 1e-4, beta1: Double = 0.9, beta2: Double = 0.99, weightDecay: Double = 0) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.weightDecay = weightDecay
    requireValidHyperparameters()
  }

  /// The step count and the momentum.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: Codable, Sendable, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<Lion>()
    /// The number of updates applied so far.
    public var step: Int
    /// The momentum *m*.
    public var momentum: Params.TangentVector

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - momentum: *m*.
    /// - Complexity: O(1).
    @inlinable
    public init(step: Int, momentum: Params.TangentVector) {
      self.step = step
      self.momentum = momentum
    }
  }

  /// Step 0 and a zero momentum.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    State(step: 0, momentum: params.zeroTangentVector)
  }

  /// One Lion step, fused over p, g and m.
  ///
  /// - Complexity: O(*n*), one pass.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    requireValidHyperparameters()
    state.step += 1
    let rate = S(learningRate), decay = S(weightDecay)
    let mix1 = S(1 - beta1), keep1 = S(beta1), mix2 = S(1 - beta2), keep2 = S(beta2)
    LeafWalk.forEachLeaf(&params, gradient, &state.momentum) { leaf, p, g, m in
      let map = map.forLeaf(leaf)
      for i in 0..<p.count {
        let gi = map.apply(g[i], parameter: p[i])
        let direction = Elementwise.sign(mix1 * gi + keep1 * m[i]) + decay * p[i]
        m[i] = mix2 * gi + keep2 * m[i]
        p[i] -= rate * direction
      }
    }
  }

  /// Checks the step count and the momentum's shapes.
  ///
  /// - Complexity: O(leaves).
  @inlinable
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
    try LeafWalk.validate(state.momentum, named: "momentum", for: params)
  }

  /// Checks `learningRate` ≥ 0, β₁ ∈ [0, 1], β₂ ∈ [0, 1) and `weightDecay` ≥ 0.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func validateHyperparameters() throws(OptimiserError) {
    try Hyperparameter.nonNegative(learningRate, "learningRate", in: "Lion")
    try Hyperparameter.closedUnitInterval(beta1, "beta1", in: "Lion")
    try Hyperparameter.unitInterval(beta2, "beta2", in: "Lion")
    try Hyperparameter.nonNegative(weightDecay, "weightDecay", in: "Lion")
  }
}
