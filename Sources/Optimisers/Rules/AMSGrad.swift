/// AMSGrad: Adam whose denominator uses the running maximum of the second
/// moment, so the effective step size never grows.
///
/// With g′ = map(g) and t the step number counted from 1:
///
///     m ← m + (1 − β₁)(g′ − m);   v ← β₂ v + (1 − β₂) g′²
///
/// ``Variant/pytorch`` (the default) keeps the maximum of the raw *v*:
///
///     v̂ ← max(v̂, v);   p ← p − (η / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
///
/// ``Variant/optax`` keeps the maximum of the bias-corrected *v*:
///
///     v̂ ← max(v̂, v / (1 − β₂ᵗ));   p ← p − η · (m / (1 − β₁ᵗ)) / (√v̂ + ε)
///
/// The two differ whenever v / (1 − β₂ᵗ) falls while *v* rises. ε is outside the
/// square root in both. `.pytorch` reproduces
/// `torch.optim.Adam(params, lr=η, betas=(β₁, β₂), eps=ε, amsgrad=True)`;
/// `.optax` reproduces `optax.amsgrad(η, b1, b2, eps, eps_root=0)`. The defaults
/// are shared by both.
///
/// State: the step count, *m*, *v* and v̂. Memory: three buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Reddi, Kale and Kumar, *On the Convergence of Adam and Beyond*,
///   ICLR 2018.
public struct AMSGrad<Params: Differentiable>: Optimiser {
  /// Which moment the running maximum is taken of.
  ///
  /// - Complexity: O(1).
  public enum Variant: String, Codable, Sendable, Hashable {
    /// The maximum of the raw second moment, bias-corrected afterwards:
    /// `torch.optim.Adam(amsgrad=True)`.
    case pytorch
    /// The maximum of the bias-corrected second moment: `optax.amsgrad`.
    case optax
  }

  /// The learning rate η; default 0.001.
  public var learningRate: Double
  /// The first-moment decay β₁ ∈ [0, 1); default 0.9.
  public var beta1: Double
  /// The second-moment decay β₂ ∈ [0, 1); default 0.999.
  public var beta2: Double
  /// The denominator's guard ε > 0, outside the square root; default 1e-8.
  public var epsilon: Double
  /// Which reference's maximum to keep; default ``Variant/pytorch``.
  public var variant: Variant

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.001.
  ///   - beta1: β₁ ∈ [0, 1); default 0.9.
  ///   - beta2: β₂ ∈ [0, 1); default 0.999.
  ///   - epsilon: ε > 0; default 1e-8.
  ///   - variant: Default `.pytorch`.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    variant: Variant = .pytorch
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.variant = variant
    requireValidHyperparameters()
  }

  /// The step count, both moments and the running maximum.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: Codable, Sendable, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<AMSGrad>()
    /// The number of updates applied so far.
    public var step: Int
    /// The first-moment estimate *m*.
    public var firstMoment: Params.TangentVector
    /// The second-moment estimate *v*.
    public var secondMoment: Params.TangentVector
    /// The running maximum v̂ (of *v* or of its bias-corrected value, by variant).
    public var maximumSecondMoment: Params.TangentVector

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - firstMoment: *m*.
    ///   - secondMoment: *v*.
    ///   - maximumSecondMoment: v̂.
    /// - Complexity: O(1).
    @inlinable
    public init(
      step: Int, firstMoment: Params.TangentVector, secondMoment: Params.TangentVector,
      maximumSecondMoment: Params.TangentVector
    ) {
      self.step = step
      self.firstMoment = firstMoment
      self.secondMoment = secondMoment
      self.maximumSecondMoment = maximumSecondMoment
    }
  }

  /// Step 0 and zero buffers.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    let zero = params.zeroTangentVector
    return State(step: 0, firstMoment: zero, secondMoment: zero, maximumSecondMoment: zero)
  }

  /// One AMSGrad step, fused over p, g, m, v and v̂.
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
    let t = Double(state.step)
    let correction1 = 1 - power(beta1, t)
    let correction2 = 1 - power(beta2, t)
    let mix1 = S(1 - beta1), keep2 = S(beta2), mix2 = S(1 - beta2), eps = S(epsilon)
    let torchForm = variant == .pytorch
    let stepSize = S(learningRate / correction1), correction2Root = S(Double.squareRoot(of: correction2))
    let rate = S(learningRate), c1 = S(correction1), c2 = S(correction2)
    LeafWalk.forEachLeaf(
      &params, gradient, &state.firstMoment, &state.secondMoment, &state.maximumSecondMoment
    ) { leaf, p, g, m, v, vmax in
      let map = map.forLeaf(leaf)
      for i in 0..<p.count {
        let gi = map.apply(g[i], parameter: p[i])
        let mi = m[i] + mix1 * (gi - m[i])
        let vi = keep2 * v[i] + mix2 * gi * gi
        m[i] = mi
        v[i] = vi
        if torchForm {
          let top = Elementwise.maximum(vmax[i], vi)
          vmax[i] = top
          p[i] -= stepSize * (mi / (S.squareRoot(of: top) / correction2Root + eps))
        } else {
          let top = Elementwise.maximum(vmax[i], vi / c2)
          vmax[i] = top
          p[i] -= rate * ((mi / c1) / (S.squareRoot(of: top) + eps))
        }
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
    try LeafWalk.validate(state.maximumSecondMoment, named: "maximumSecondMoment", for: params)
  }

  /// Checks `learningRate` ≥ 0, β₁, β₂ ∈ [0, 1) and ε > 0.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func validateHyperparameters() throws(OptimiserError) {
    try Hyperparameter.nonNegative(learningRate, "learningRate", in: "AMSGrad")
    try Hyperparameter.unitInterval(beta1, "beta1", in: "AMSGrad")
    try Hyperparameter.unitInterval(beta2, "beta2", in: "AMSGrad")
    try Hyperparameter.positive(epsilon, "epsilon", in: "AMSGrad")
  }
}
