/// OAdam: optimistic Adam, which extrapolates the Adam direction using the
/// previous one (optimistic mirror descent), for games and min–max problems.
///
/// With g′ = map(g), t the step number counted from 1, α = η and β =
/// `optimism` (η when `nil`):
///
///     m ← (1 − β₁) g′ + β₁ m;   v ← (1 − β₂) g′² + β₂ v
///     m̂ = β₁ m / (1 − β₁ᵗ⁺¹) + (1 − β₁) g′ / (1 − β₁ᵗ)    (nesterov, default)
///     m̂ = m / (1 − β₁ᵗ)                                 (nesterov: false)
///     aₜ = m̂ / (√(v / (1 − β₂ᵗ)) + ε)
///     p ← p − ((α + β) aₜ − β aₜ₋₁)                      (a₀ = a₁)
///
/// ε is outside the square root. This reproduces
/// `optax.optimistic_adam(η, optimism=β, b1, b2, eps, eps_root=0, nesterov=)`,
/// whose defaults it shares.
///
/// State: the step count, *m*, *v* and the previous direction aₜ₋₁. Memory:
/// three buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Daskalakis et al., *Training GANs with Optimism*, ICLR 2018.
public struct OAdam<Params: Differentiable>: Optimiser {
  /// The learning rate η (α, the weight of the current direction); default 0.001.
  public var learningRate: Double
  /// The weight β ≥ 0 of the optimistic correction; `nil` (the default) uses η.
  public var optimism: Double?
  /// The first-moment decay β₁ ∈ [0, 1); default 0.9.
  public var beta1: Double
  /// The second-moment decay β₂ ∈ [0, 1); default 0.999.
  public var beta2: Double
  /// The denominator's guard ε > 0, outside the square root; default 1e-8.
  public var epsilon: Double
  /// Whether the Adam direction uses Nesterov momentum; default `true` (optax's).
  public var nesterov: Bool

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.001.
  ///   - optimism: β ≥ 0, or `nil` for η; default `nil`.
  ///   - beta1: β₁ ∈ [0, 1); default 0.9.
  ///   - beta2: β₂ ∈ [0, 1); default 0.999.
  ///   - epsilon: ε > 0; default 1e-8.
  ///   - nesterov: Default `true`.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 0.001, optimism: Double? = nil, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-8, nesterov: Bool = true
  ) {
    self.learningRate = learningRate
    self.optimism = optimism
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.nesterov = nesterov
    requireValidHyperparameters()
  }

  /// The step count, both moments and the previous direction.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: Codable, Sendable, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<OAdam>()
    /// The number of updates applied so far.
    public var step: Int
    /// The first-moment estimate *m*.
    public var firstMoment: Params.TangentVector
    /// The second-moment estimate *v*.
    public var secondMoment: Params.TangentVector
    /// The previous Adam direction aₜ₋₁ (unused before the first step).
    public var previousDirection: Params.TangentVector

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - firstMoment: *m*.
    ///   - secondMoment: *v*.
    ///   - previousDirection: aₜ₋₁.
    /// - Complexity: O(1).
    @inlinable
    public init(
      step: Int, firstMoment: Params.TangentVector, secondMoment: Params.TangentVector,
      previousDirection: Params.TangentVector
    ) {
      self.step = step
      self.firstMoment = firstMoment
      self.secondMoment = secondMoment
      self.previousDirection = previousDirection
    }
  }

  /// Step 0 and zero buffers.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    let zero = params.zeroTangentVector
    return State(step: 0, firstMoment: zero, secondMoment: zero, previousDirection: zero)
  }

  /// One optimistic Adam step, fused over p, g, m, v and aₜ₋₁.
  ///
  /// - Complexity: O(*n*), one pass.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    requireValidHyperparameters()
    let first = state.step == 0
    state.step += 1
    let t = Double(state.step)
    let beta = optimism ?? learningRate
    let current = S(learningRate + beta), past = S(beta)
    let c1 = S(1 - power(beta1, t)), c1Next = S(1 - power(beta1, t + 1)), c2 = S(1 - power(beta2, t))
    let mix1 = S(1 - beta1), keep1 = S(beta1), mix2 = S(1 - beta2), keep2 = S(beta2), eps = S(epsilon)
    let useNesterov = nesterov
    LeafWalk.forEachLeaf(
      &params, gradient, &state.firstMoment, &state.secondMoment, &state.previousDirection
    ) { leaf, p, g, m, v, previous in
      let map = map.forLeaf(leaf)
      for i in 0..<p.count {
        let gi = map.apply(g[i], parameter: p[i])
        let mi = mix1 * gi + keep1 * m[i]
        let vi = mix2 * (gi * gi) + keep2 * v[i]
        m[i] = mi
        v[i] = vi
        let corrected = useNesterov ? keep1 * (mi / c1Next) + mix1 * (gi / c1) : mi / c1
        let direction = corrected / (S.squareRoot(of: vi / c2) + eps)
        let before = first ? direction : previous[i]
        previous[i] = direction
        p[i] -= current * direction - past * before
      }
    }
  }

  /// Checks the step count and the three buffers' shapes.
  ///
  /// - Complexity: O(leaves).
  @inlinable
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
    try LeafWalk.validate(state.firstMoment, named: "firstMoment", for: params)
    try LeafWalk.validate(state.secondMoment, named: "secondMoment", for: params)
    try LeafWalk.validate(state.previousDirection, named: "previousDirection", for: params)
  }

  /// Checks `learningRate` ≥ 0, `optimism` ≥ 0 when set, β₁, β₂ ∈ [0, 1) and
  /// ε > 0.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func validateHyperparameters() throws(OptimiserError) {
    try Hyperparameter.nonNegative(learningRate, "learningRate", in: "OAdam")
    if let optimism { try Hyperparameter.nonNegative(optimism, "optimism", in: "OAdam") }
    try Hyperparameter.unitInterval(beta1, "beta1", in: "OAdam")
    try Hyperparameter.unitInterval(beta2, "beta2", in: "OAdam")
    try Hyperparameter.positive(epsilon, "epsilon", in: "OAdam")
  }
}
