/// LAMB: Adam's direction plus weight decay, rescaled per leaf by the layer-wise
/// trust ratio ‖p‖ / ‖direction‖.
///
/// With g′ = map(g), t the step number counted from 1, λ the weight decay and,
/// for every leaf separately:
///
///     m ← (1 − β₁) g′ + β₁ m;   v ← (1 − β₂) g′² + β₂ v
///     a = (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε) + λ p
///     r = ‖p‖ / ‖a‖    (r = 1 when either norm is 0)
///     p ← p − η r a
///
/// ε is outside the square root, after the bias correction. This reproduces
/// `optax.lamb(η, b1, b2, eps, eps_root=0, weight_decay=λ)`, whose defaults it
/// shares (ε = 1e-6, λ = 0). Each leaf (a weight matrix, a bias vector) is one
/// "layer".
///
/// The norms need a reduction before the update, so each leaf is walked twice:
/// a first pass updates *m* and *v* and sums ‖p‖² and ‖a‖²; a second pass
/// recomputes *a* from the stored moments and moves *p*.
///
/// State: the step count, *m* and *v*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, two passes per leaf.
/// - References: You et al., *Large Batch Optimization for Deep Learning:
///   Training BERT in 76 Minutes*, ICLR 2020.
public struct LAMB<Params: Differentiable>: Optimiser {
  /// The learning rate η; default 0.001.
  public var learningRate: Double
  /// The first-moment decay β₁ ∈ [0, 1); default 0.9.
  public var beta1: Double
  /// The second-moment decay β₂ ∈ [0, 1); default 0.999.
  public var beta2: Double
  /// The denominator's guard ε > 0, outside the square root; default 1e-6.
  public var epsilon: Double
  /// The weight decay λ ≥ 0 added to the direction before the trust ratio;
  /// default 0.
  public var weightDecay: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.001.
  ///   - beta1: β₁ ∈ [0, 1); default 0.9.
  ///   - beta2: β₂ ∈ [0, 1); default 0.999.
  ///   - epsilon: ε > 0; default 1e-6.
  ///   - weightDecay: λ ≥ 0; default 0.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-6,
    weightDecay: Double = 0
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    requireValidHyperparameters()
  }

  /// The step count and the two moment estimates (see ``MomentEstimates``).
  public typealias State = MomentEstimates<Params, LAMB>

  /// Step 0 and zero moments.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    State(zerosLike: params)
  }

  /// One LAMB step: per leaf, a pass that updates the moments and sums the two
  /// norms, then a pass that applies the trust-ratio-scaled direction.
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
    let t = Double(state.step)
    let c1 = S(1 - power(beta1, t)), c2 = S(1 - power(beta2, t))
    let rate = S(learningRate), decay = S(weightDecay), eps = S(epsilon)
    let mix1 = S(1 - beta1), keep1 = S(beta1), mix2 = S(1 - beta2), keep2 = S(beta2)
    LeafWalk.forEachWholeLeaf(&params, gradient, &state.firstMoment, &state.secondMoment) { leaf, p, g, m, v in
      let map = map.forLeaf(leaf)
      var parameterSquares: S = 0, directionSquares: S = 0
      for i in 0..<p.count {
        let gi = map.apply(g[i], parameter: p[i])
        let mi = mix1 * gi + keep1 * m[i]
        let vi = mix2 * (gi * gi) + keep2 * v[i]
        m[i] = mi
        v[i] = vi
        let a = (mi / c1) / (S.squareRoot(of: vi / c2) + eps) + decay * p[i]
        directionSquares += a * a
        parameterSquares += p[i] * p[i]
      }
      let parameterNorm = S.squareRoot(of: parameterSquares), directionNorm = S.squareRoot(of: directionSquares)
      let ratio = parameterNorm == 0 || directionNorm == 0 ? 1 : parameterNorm / directionNorm
      for i in 0..<p.count {
        let a = (m[i] / c1) / (S.squareRoot(of: v[i] / c2) + eps) + decay * p[i]
        p[i] -= a * ratio * rate
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

  /// Checks `learningRate` ≥ 0, β₁, β₂ ∈ [0, 1), ε > 0 and `weightDecay` ≥ 0.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func validateHyperparameters() throws(OptimiserError) {
    try Hyperparameter.nonNegative(learningRate, "learningRate", in: "LAMB")
    try Hyperparameter.unitInterval(beta1, "beta1", in: "LAMB")
    try Hyperparameter.unitInterval(beta2, "beta2", in: "LAMB")
    try Hyperparameter.positive(epsilon, "epsilon", in: "LAMB")
    try Hyperparameter.nonNegative(weightDecay, "weightDecay", in: "LAMB")
  }
}
