/// Gradient descent with Nesterov momentum, in PyTorch's formulation.
///
/// The step looks ahead along the velocity:
///
///     ηₜ = η / (1 + decay · t)          (t = 0 at the first update)
///     v ← μ · v + g                     (v₀ = 0)
///     p ← p − ηₜ · (g + μ · v)
///
/// This is `torch.optim.SGD(params, lr, momentum=μ, nesterov=True)` (dampening 0)
/// and `optax.sgd(lr, momentum=μ, nesterov=True)`. Flux's form, v ← μv − ηg,
/// p ← p − μ v_old + (1 + μ) v, gives the same iterates for a constant learning
/// rate.
///
/// SGD with options is spelled as separate rules in this package:
/// `torch.optim.SGD(momentum=0)` is ``SGD``, `momentum=μ` is ``Momentum`` and
/// `nesterov=True` is ``Nesterov``. PyTorch's `dampening` is not offered (its
/// default, 0, is what all three reproduce).
///
/// State: the step count and the velocity *v*. Memory: one buffer per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Nesterov, *A method for solving the convex programming problem
///   with convergence rate O(1/k²)*, 1983; Sutskever et al., *On the importance of
///   initialization and momentum in deep learning*, 2013.
public struct Nesterov<Params: Differentiable>: Optimiser {
  /// The learning rate η; default 0.01.
  public var learningRate: Double
  /// The momentum coefficient μ ∈ [0, 1); default 0.9.
  public var momentum: Double
  /// The inverse-decay coefficient: ηₜ = η / (1 + decay · t); default 0.
  public var decay: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.01.
  ///   - momentum: μ ∈ [0, 1); default 0.9.
  ///   - decay: Inverse learning-rate decay ≥ 0; default 0.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(learningRate: Double = 0.01, momentum: Double = 0.9, decay: Double = 0) {
    self.learningRate = learningRate
    self.momentum = momentum
    self.decay = decay
    requireValidHyperparameters()
  }

  /// The step count and the velocity (see ``VelocityState``).
  public typealias State = VelocityState<Params, Nesterov>

  /// Step 0 and a zero velocity.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    State(step: 0, velocity: params.zeroTangentVector)
  }

  /// v ← μv + g′; p ← p − ηₜ (g′ + μv), with g′ = map(g).
  ///
  /// - Complexity: O(*n*), one fused pass.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    requireValidHyperparameters()
    let rate = S(learningRate / (1 + decay * Double(state.step)))
    let mu = S(momentum)
    state.step += 1
    LeafWalk.forEachLeaf(&params, gradient, &state.velocity) { leaf, p, g, v in
      let map = map.forLeaf(leaf)
      for i in 0..<p.count {
        let gi = map.apply(g[i], parameter: p[i])
        let vi = mu * v[i] + gi
        v[i] = vi
        p[i] -= rate * (gi + mu * vi)
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

  /// Checks `learningRate` ≥ 0, `momentum` ∈ [0, 1) and `decay` ≥ 0.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func validateHyperparameters() throws(OptimiserError) {
    try Hyperparameter.nonNegative(learningRate, "learningRate", in: "Nesterov")
    try Hyperparameter.unitInterval(momentum, "momentum", in: "Nesterov")
    try Hyperparameter.nonNegative(decay, "decay", in: "Nesterov")
  }
}
