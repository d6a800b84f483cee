/// AdaGrad: scales each coordinate by the inverse root of its summed squared
/// gradients.
///
/// With g′ = map(g) and t the step number counted from 1:
///
///     ηₜ = η / (1 + (t − 1) · learningRateDecay)
///     s ← s + g′²                         (s₀ = initialAccumulatorValue)
///     p ← p − ηₜ · g′ / (√s + ε)
///
/// ε is added outside the square root. This is
/// `torch.optim.Adagrad(params, lr=η, lr_decay=, initial_accumulator_value=, eps=ε)`;
/// the defaults follow PyTorch. (`optax.adagrad` differs: it puts ε inside the
/// square root and starts the sum at 0.1.)
///
/// State: the step count and the sum of squares *s*. Memory: one buffer per
/// parameter.
///
/// - Complexity: O(*n*) per step, one fused pass reading p, g, s and writing
///   p, s.
/// - References: Duchi, Hazan and Singer, *Adaptive Subgradient Methods for
///   Online Learning and Stochastic Optimization*, JMLR 2011.
public struct AdaGrad<Params: Differentiable>: Optimiser {
  /// The learning rate η; default 0.01.
  public var learningRate: Double
  /// The inverse decay of the learning rate per step; default 0.
  public var learningRateDecay: Double
  /// The value every entry of the sum of squares starts at; default 0.
  public var initialAccumulatorValue: Double
  /// The denominator's guard ε > 0, added outside the square root; default 1e-10.
  public var epsilon: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.01.
  ///   - learningRateDecay: ≥ 0; default 0.
  ///   - initialAccumulatorValue: ≥ 0; default 0.
  ///   - epsilon: ε > 0; default 1e-10.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 0.01, learningRateDecay: Double = 0, initialAccumulatorValue: Double = 0,
    epsilon: Double = 1e-10
  ) {
    self.learningRate = learningRate
    self.learningRateDecay = learningRateDecay
    self.initialAccumulatorValue = initialAccumulatorValue
    self.epsilon = epsilon
    requireValidHyperparameters()
  }

  /// The step count and the sum of squared gradients.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: Codable, Sendable, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<AdaGrad>()
    /// The number of updates applied so far.
    public var step: Int
    /// The running sum of squared gradients *s*, shaped like the parameters.
    public var sumOfSquares: Params.TangentVector

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - sumOfSquares: *s*.
    /// - Complexity: O(1).
    @inlinable
    public init(step: Int, sumOfSquares: Params.TangentVector) {
      self.step = step
      self.sumOfSquares = sumOfSquares
    }
  }

  /// Step 0 and a sum of squares filled with `initialAccumulatorValue`.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    State(step: 0, sumOfSquares: Elementwise.filled(params.zeroTangentVector, with: initialAccumulatorValue))
  }

  /// One AdaGrad step, fused over p, g and s.
  ///
  /// - Complexity: O(*n*), one pass.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    requireValidHyperparameters()
    let rate = S(learningRate / (1 + Double(state.step) * learningRateDecay))
    state.step += 1
    let eps = S(epsilon)
    LeafWalk.forEachLeaf(&params, gradient, &state.sumOfSquares) { leaf, p, g, s in
      let map = map.forLeaf(leaf)
      for i in 0..<p.count {
        let gi = map.apply(g[i], parameter: p[i])
        let si = s[i] + gi * gi
        s[i] = si
        p[i] -= rate * (gi / (S.squareRoot(of: si) + eps))
      }
    }
  }

  /// Checks the step count and the sum's shapes.
  ///
  /// - Complexity: O(leaves).
  @inlinable
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
    try LeafWalk.validate(state.sumOfSquares, named: "sumOfSquares", for: params)
  }

  /// Checks `learningRate`, `learningRateDecay` and `initialAccumulatorValue`
  /// ≥ 0 and ε > 0.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func validateHyperparameters() throws(OptimiserError) {
    try Hyperparameter.nonNegative(learningRate, "learningRate", in: "AdaGrad")
    try Hyperparameter.nonNegative(learningRateDecay, "learningRateDecay", in: "AdaGrad")
    try Hyperparameter.nonNegative(initialAccumulatorValue, "initialAccumulatorValue", in: "AdaGrad")
    try Hyperparameter.positive(epsilon, "epsilon", in: "AdaGrad")
  }
}
