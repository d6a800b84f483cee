/// AdaDelta: a step whose units match the parameters', from running averages of
/// squared gradients and squared steps, times a learning-rate multiplier.
///
/// With g′ = map(g), ρ the decay and both averages starting at zero:
///
///     v ← ρ v + (1 − ρ) g′²
///     δ = √(u + ε) / √(v + ε) · g′
///     u ← ρ u + (1 − ρ) δ²
///     p ← p − η · δ
///
/// ε is inside both square roots. This is
/// `torch.optim.Adadelta(params, lr=η, rho=ρ, eps=ε)`, whose learning-rate
/// multiplier η defaults to 1.0 (Zeiler's rule has none); the defaults follow
/// PyTorch. (`optax.adadelta` computes the same step.)
///
/// State: the step count, *v* and *u*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Zeiler, *ADADELTA: An Adaptive Learning Rate Method*, 2012.
public struct AdaDelta<Params: Differentiable>: Optimiser {
  /// The learning-rate multiplier η; default 1.0.
  public var learningRate: Double
  /// The decay ρ ∈ [0, 1) of both running averages; default 0.9.
  public var rho: Double
  /// The guard ε > 0 inside both square roots; default 1e-6.
  public var epsilon: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 1.0.
  ///   - rho: ρ ∈ [0, 1); default 0.9.
  ///   - epsilon: ε > 0; default 1e-6.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(learningRate: Double = 1.0, rho: Double = 0.9, epsilon: Double = 1e-6) {
    self.learningRate = learningRate
    self.rho = rho
    self.epsilon = epsilon
    requireValidHyperparameters()
  }

  /// The step count and the two running averages.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: Codable, Sendable, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<AdaDelta>()
    /// The number of updates applied so far.
    public var step: Int
    /// The running average of squared gradients *v*.
    public var meanSquareGradient: Params.TangentVector
    /// The running average of squared steps *u*.
    public var meanSquareDelta: Params.TangentVector

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - meanSquareGradient: *v*.
    ///   - meanSquareDelta: *u*.
    /// - Complexity: O(1).
    @inlinable
    public init(step: Int, meanSquareGradient: Params.TangentVector, meanSquareDelta: Params.TangentVector) {
      self.step = step
      self.meanSquareGradient = meanSquareGradient
      self.meanSquareDelta = meanSquareDelta
    }
  }

  /// Step 0 and zero averages.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    let zero = params.zeroTangentVector
    return State(step: 0, meanSquareGradient: zero, meanSquareDelta: zero)
  }

  /// One AdaDelta step, fused over p, g, v and u.
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
    let rate = S(learningRate), keep = S(rho), mix = S(1 - rho), eps = S(epsilon)
    LeafWalk.forEachLeaf(&params, gradient, &state.meanSquareGradient, &state.meanSquareDelta) {
      leaf, p, g, v, u in
      let map = map.forLeaf(leaf)
      for i in 0..<p.count {
        let gi = map.apply(g[i], parameter: p[i])
        let vi = keep * v[i] + mix * gi * gi
        v[i] = vi
        let delta = S.squareRoot(of: u[i] + eps) / S.squareRoot(of: vi + eps) * gi
        u[i] = keep * u[i] + mix * delta * delta
        p[i] -= rate * delta
      }
    }
  }

  /// Checks the step count and both averages' shapes.
  ///
  /// - Complexity: O(leaves).
  @inlinable
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
    try LeafWalk.validate(state.meanSquareGradient, named: "meanSquareGradient", for: params)
    try LeafWalk.validate(state.meanSquareDelta, named: "meanSquareDelta", for: params)
  }

  /// Checks `learningRate` ≥ 0, ρ ∈ [0, 1) and ε > 0.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func validateHyperparameters() throws(OptimiserError) {
    try Hyperparameter.nonNegative(learningRate, "learningRate", in: "AdaDelta")
    try Hyperparameter.unitInterval(rho, "rho", in: "AdaDelta")
    try Hyperparameter.positive(epsilon, "epsilon", in: "AdaDelta")
  }
}
