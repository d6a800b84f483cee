/// Adam: adaptive moment estimation, bias-corrected, ε outside the square root.
///
/// With g′ = map(g) and t the step number counted from 1:
///
///     ηₜ = η / (1 + decay · (t − 1))
///     m ← m + (1 − β₁)(g′ − m)            (= β₁m + (1 − β₁)g′)
///     v ← β₂ v + (1 − β₂) g′²
///     p ← p − (ηₜ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// Both moments start at zero and are bias-corrected by 1 − βᵗ; ε is added
/// *after* the square root and after the second-moment correction, as in
/// `torch.optim.Adam(params, lr, betas=(β₁, β₂), eps)` and
/// `optax.adam(lr, b1, b2, eps)` (they agree). The arithmetic follows PyTorch's
/// order (a `lerp` for *m*, the step size η/(1 − β₁ᵗ) computed in double
/// precision), so float32 runs match torch's float32 closely.
///
/// State: the step count and the moments *m* and *v*. Memory: two buffers per
/// parameter.
///
/// - Complexity: O(*n*) per step, one fused pass reading p, g, m, v and writing
///   p, m, v.
/// - References: Kingma and Ba, *Adam: A Method for Stochastic Optimization*,
///   ICLR 2015.
public struct Adam<Params: Differentiable>: Optimiser {
  /// The learning rate η; default 0.001.
  public var learningRate: Double
  /// The first-moment decay β₁ ∈ [0, 1); default 0.9.
  public var beta1: Double
  /// The second-moment decay β₂ ∈ [0, 1); default 0.999.
  public var beta2: Double
  /// The denominator's guard ε > 0, added outside the square root; default 1e-8.
  public var epsilon: Double
  /// The inverse-decay coefficient: ηₜ = η / (1 + decay · (t − 1)); default 0.
  public var decay: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.001.
  ///   - beta1: β₁ ∈ [0, 1); default 0.9.
  ///   - beta2: β₂ ∈ [0, 1); default 0.999.
  ///   - epsilon: ε > 0; default 1e-8.
  ///   - decay: Inverse learning-rate decay ≥ 0; default 0.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-8, decay: Double = 0
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.decay = decay
    requireValidHyperparameters()
  }

  /// The step count and the two moment estimates (see ``MomentEstimates``).
  public typealias State = MomentEstimates<Params, Adam>

  /// Step 0 and zero moments.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    State(zerosLike: params)
  }

  /// One bias-corrected Adam step, fused over p, g, m and v.
  ///
  /// - Complexity: O(*n*), one pass.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    requireValidHyperparameters()
    let rate = learningRate / (1 + decay * Double(state.step))
    state.step += 1
    let t = Double(state.step)
    let correction1 = 1 - power(beta1, t)
    let correction2 = 1 - power(beta2, t)
    let stepSize = S(rate / correction1)
    let correction2Root = S(Double.squareRoot(of: correction2))
    let keep1 = S(1 - beta1), keep2 = S(beta2), mix2 = S(1 - beta2), eps = S(epsilon)
    LeafWalk.forEachLeaf(&params, gradient, &state.firstMoment, &state.secondMoment) { leaf, p, g, m, v in
      let map = map.forLeaf(leaf)
      for i in 0..<p.count {
        let gi = map.apply(g[i], parameter: p[i])
        let mi = m[i] + keep1 * (gi - m[i])
        let vi = keep2 * v[i] + mix2 * gi * gi
        m[i] = mi
        v[i] = vi
        let denominator = S.squareRoot(of: vi) / correction2Root + eps
        p[i] -= stepSize * mi / denominator
      }
    }
  }

  /// Checks the step count and both moments' shapes.
  ///
  /// - Complexity: O(leaves).
  @inlinable
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try state.validate(for: params)
  }

  /// Checks `learningRate` ≥ 0, β₁, β₂ ∈ [0, 1), ε > 0 and `decay` ≥ 0.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func validateHyperparameters() throws(OptimiserError) {
    try Hyperparameter.nonNegative(learningRate, "learningRate", in: "Adam")
    try Hyperparameter.unitInterval(beta1, "beta1", in: "Adam")
    try Hyperparameter.unitInterval(beta2, "beta2", in: "Adam")
    try Hyperparameter.positive(epsilon, "epsilon", in: "Adam")
    try Hyperparameter.nonNegative(decay, "decay", in: "Adam")
  }
}
