/// Plain stochastic gradient descent, with optional inverse learning-rate decay.
///
/// Each step moves every parameter against its gradient:
///
///     ηₜ = η / (1 + decay · t)          (t = 0 at the first update)
///     p ← p − ηₜ · g
///
/// With `decay == 0` this is exactly `p - learningRate * g` per element, and
/// matches `torch.optim.SGD(params, lr)` and `optax.sgd(lr)`. The decayed rate is
/// Flux's "inverse decaying learning rate" and equals
/// `Scheduled(SGD(...), \.learningRate, by: InverseDecay(...))`.
///
/// ```swift
/// let optimiser = SGD<Affine>(learningRate: 0.1)
/// ```
///
/// State: the step count only. Memory: none per parameter.
///
/// - Complexity: O(*n*) per step, one pass.
/// - References: Robbins and Monro, *A Stochastic Approximation Method*, 1951.
public struct SGD<Params: Differentiable>: Optimiser {
  /// The learning rate η; default 0.1.
  public var learningRate: Double
  /// The inverse-decay coefficient: ηₜ = η / (1 + decay · t); default 0.
  public var decay: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.1 (Flux's default).
  ///   - decay: Inverse learning-rate decay ≥ 0; default 0.
  /// - Precondition: Both are finite and ≥ 0; otherwise the call stops with a
  ///   message naming the hyperparameter and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(learningRate: Double = 0.1, decay: Double = 0) {
    self.learningRate = learningRate
    self.decay = decay
    requireValidHyperparameters()
  }

  /// The step count.
  ///
  /// - Complexity: Encoding is O(1).
  public struct State: Codable, Sendable, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<SGD>()
    /// The number of updates applied so far.
    public var step: Int

    /// Creates a state.
    ///
    /// - Parameter step: The number of updates applied; default 0.
    /// - Complexity: O(1).
    @inlinable public init(step: Int = 0) { self.step = step }
  }

  /// A state at step 0.
  ///
  /// - Complexity: O(1).
  @inlinable public func initialState(for params: Params) -> State { State() }

  /// p ← p − ηₜ · map(g).
  ///
  /// - Complexity: O(*n*), one pass.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    requireValidHyperparameters()
    let rate = S(learningRate / (1 + decay * Double(state.step)))
    state.step += 1
    LeafWalk.forEachLeaf(&params, gradient) { leaf, p, g in
      let map = map.forLeaf(leaf)
      for i in 0..<p.count {
        p[i] -= rate * map.apply(g[i], parameter: p[i])
      }
    }
  }

  /// Checks the step count.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
  }

  /// Checks that `learningRate` and `decay` are finite and ≥ 0.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func validateHyperparameters() throws(OptimiserError) {
    try Hyperparameter.nonNegative(learningRate, "learningRate", in: "SGD")
    try Hyperparameter.nonNegative(decay, "decay", in: "SGD")
  }
}
