/// LARS: momentum SGD whose step for each leaf is rescaled by the layer-wise
/// trust ratio ‖p‖ / ‖g‖.
///
/// With g′ = map(g), λ the weight decay, c the trust coefficient and, for every
/// leaf separately:
///
///     d = g′ + λ p
///     r = c ‖p‖ / (‖d‖ + ε)    (r = 1 when ‖p‖ or ‖d‖ is 0)
///     b ← η r d + μ b
///     p ← p − b                (p ← p − (η r d + μ b) with Nesterov)
///
/// The learning rate multiplies the step before the momentum trace, so a
/// changing η affects only new contributions. This reproduces
/// `optax.lars(η, weight_decay=λ, trust_coefficient=c, eps=ε, momentum=μ,
/// nesterov=)` with both masks `True` (optax keeps −b); the defaults follow optax
/// (c = 0.001, ε = 0, μ = 0.9). optax has no default rate: η = 1 here, so a
/// step is about c = 0.1 % of ‖p‖.
///
/// The norms need a reduction before the update, so each leaf is walked twice:
/// a first pass sums ‖p‖² and ‖d‖², a second pass updates *b* and *p*.
///
/// State: the step count and *b*. Memory: one buffer per parameter.
///
/// - Complexity: O(*n*) per step, two passes per leaf.
/// - References: You, Gitman and Ginsburg, *Large Batch Training of
///   Convolutional Networks*, 2017.
public struct LARS<Params: Differentiable>: Optimiser {
  /// The global learning rate η; default 1.
  public var learningRate: Double
  /// The weight decay λ ≥ 0 added to the gradient before the trust ratio;
  /// default 0.
  public var weightDecay: Double
  /// The trust coefficient c > 0; default 0.001.
  public var trustCoefficient: Double
  /// The guard ε ≥ 0 added to ‖d‖; default 0.
  public var epsilon: Double
  /// The momentum μ ∈ [0, 1); default 0.9.
  public var momentum: Double
  /// Whether to use Nesterov momentum; default `false`.
  public var nesterov: Bool

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 1.
  ///   - weightDecay: λ ≥ 0; default 0.
  ///   - trustCoefficient: c > 0; default 0.001.
  ///   - epsilon: ε ≥ 0; default 0.
  ///   - momentum: μ ∈ [0, 1); default 0.9.
  ///   - nesterov: Default `false`.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 1, weightDecay: Double = 0, trustCoefficient: Double = 0.001, epsilon: Double = 0,
    momentum: Double = 0.9, nesterov: Bool = false
  ) {
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.trustCoefficient = trustCoefficient
    self.epsilon = epsilon
    self.momentum = momentum
    self.nesterov = nesterov
    requireValidHyperparameters()
  }

  /// The step count and the velocity (see ``VelocityState``).
  public typealias State = VelocityState<Params, LARS>

  /// Step 0 and a zero velocity.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    State(step: 0, velocity: params.zeroTangentVector)
  }

  /// One LARS step: per leaf, a pass that sums the two norms, then a pass that
  /// updates the velocity and the parameters.
  ///
  /// - Complexity: O(*n*), two passes per leaf.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    requireValidHyperparameters()
    state.step += 1
    let rate = S(learningRate), decay = S(weightDecay), coefficient = S(trustCoefficient), eps = S(epsilon)
    let mu = S(momentum), useNesterov = nesterov
    LeafWalk.forEachWholeLeaf(&params, gradient, &state.velocity) { leaf, p, g, b in
      let map = map.forLeaf(leaf)
      var parameterSquares: S = 0, directionSquares: S = 0
      for i in 0..<p.count {
        let d = map.apply(g[i], parameter: p[i]) + decay * p[i]
        directionSquares += d * d
        parameterSquares += p[i] * p[i]
      }
      let parameterNorm = S.squareRoot(of: parameterSquares), directionNorm = S.squareRoot(of: directionSquares)
      let ratio = parameterNorm == 0 || directionNorm == 0 ? 1 : coefficient * parameterNorm / (directionNorm + eps)
      for i in 0..<p.count {
        let d = map.apply(g[i], parameter: p[i]) + decay * p[i]
        let scaled = d * ratio * rate
        let bi = scaled + mu * b[i]
        b[i] = bi
        p[i] -= useNesterov ? scaled + mu * bi : bi
      }
    }
  }

  /// Checks the step count and the velocity's shapes.
  ///
  /// - Complexity: O(leaves).
  @inlinable
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try state.validate(for: params)
  }

  /// Checks `learningRate`, `weightDecay` and ε ≥ 0, the trust coefficient > 0
  /// and μ ∈ [0, 1).
  ///
  /// - Complexity: O(1).
  @inlinable
  public func validateHyperparameters() throws(OptimiserError) {
    try Hyperparameter.nonNegative(learningRate, "learningRate", in: "LARS")
    try Hyperparameter.nonNegative(weightDecay, "weightDecay", in: "LARS")
    try Hyperparameter.positive(trustCoefficient, "trustCoefficient", in: "LARS")
    try Hyperparameter.nonNegative(epsilon, "epsilon", in: "LARS")
    try Hyperparameter.unitInterval(momentum, "momentum", in: "LARS")
  }
}
