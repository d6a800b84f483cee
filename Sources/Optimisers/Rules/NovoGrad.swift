/// NovoGrad: momentum over gradients normalised by a per-leaf (layer-wise)
/// second moment, with weight decay inside the momentum.
///
/// With g′ = map(g), t the step number counted from 1 and, for every leaf
/// (layer) separately, its squared norm ‖g′‖²:
///
///     v ← ‖g′‖²  (t = 1),   v ← β₂ v + (1 − β₂) ‖g′‖²  (t > 1)     (one scalar per leaf)
///     u = g′ / (√(v + ε_root) + ε) + λ p
///     m ← u  (t = 1),       m ← β₁ m + u  (t > 1)
///     p ← p − η m
///
/// This is `optax.novograd(η, b1=β₁, b2=β₂, eps=ε, eps_root=ε_root,
/// weight_decay=λ)`, whose defaults it shares (optax has no default rate).
///
/// State: the step count, *m* (one buffer per parameter) and one *v* per leaf.
///
/// - Complexity: O(*n*) per step, two passes per leaf (the norm, then the
///   update).
/// - References: Ginsburg et al., *Stochastic Gradient Methods with Layer-wise
///   Adaptive Moments for Training of Deep Networks*, 2019.
public struct NovoGrad<Params: Differentiable>: KernelRule {
  /// The learning rate η ≥ 0 (0.001), the momentum β₁ ∈ [0, 1) (0.9), the
  /// second-moment decay β₂ ∈ [0, 1) (0.25), the guard ε ≥ 0 (> 0 when ε_root = 0) outside the square
  /// root (1e-6), the guard ε_root ≥ 0 inside it (0) and the weight decay λ ≥ 0
  /// added to the normalised gradient (0).
  public var learningRate, beta1, beta2, epsilon, epsilonRoot, weightDecay: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.25, epsilon: Double = 1e-6,
    epsilonRoot: Double = 0, weightDecay: Double = 0
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
    (self.epsilonRoot, self.weightDecay) = (epsilonRoot, weightDecay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, β₁, β₂ ∈ [0, 1), ε, ε_root ≥ 0 not both 0, λ ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.adaptiveMoments(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, epsilonRoot: epsilonRoot)
    h.nonNegative(weightDecay, "weightDecay")
  }

  /// The step count, the momentum *m* and the per-leaf second moments.
  public struct State: BufferedState, Equatable {
    var rule = RuleTag<NovoGrad>()
    /// The number of updates applied so far.
    public var step: Int
    /// The momentum *m*, shaped like the parameters.
    public var firstMoment: Params.TangentVector
    /// One second moment *v* ≥ 0 per leaf, in leaf order.
    public var leafSecondMoments: [Params.TangentVector.Scalar]

    /// A state from its parts.
    @inlinable public init(step: Int, firstMoment: Params.TangentVector, leafSecondMoments: [Params.TangentVector.Scalar]) {
      (self.step, self.firstMoment, self.leafSecondMoments) = (step, firstMoment, leafSecondMoments)
    }

    /// The one parameter-shaped buffer (the per-leaf moments are not walked).
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&firstMoment, "firstMoment")
    }
  }

  /// Step 0, *m* = 0 and every leaf's *v* = 0.
  @inlinable public func initialState(for params: Params) -> State {
    State(step: 0, firstMoment: params.zeroTangentVector, leafSecondMoments: Array(repeating: 0, count: params.parameterLeafCount))
  }

  /// Per leaf: ‖g′‖², *v*, then *m* and *p*.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let rate = Scalar(learningRate), keep1 = Scalar(beta1), keep2 = Scalar(beta2), mix2 = Scalar(1 - beta2)
    let eps = Scalar(epsilon), root = Scalar(epsilonRoot), l2 = Scalar(weightDecay), first = t == 1
    precondition(
      walk.read { $0.leafSecondMoments.count } == walk.leafCount,
      "NovoGrad's state keeps one second moment per leaf; validate(_:for:) names the mismatch")
    walk.wholeLeaves { b in
      var squares: Scalar = 0
      for i in b.indices { let g = b.gradient(i); squares += g * g }
      let norm = Scalar.squareRoot(of: squares), previous = walk.state.pointee.leafSecondMoments[b.leaf]
      let v = first ? norm * norm : mix2 * (norm * norm) + keep2 * previous
      walk.state.pointee.leafSecondMoments[b.leaf] = v
      let d = Scalar.squareRoot(of: v + root) + eps, m = b[0]
      for i in b.indices {
        let u = b.gradient(i) / d + l2 * b.p[i]
        m[i] = first ? u : keep1 * m[i] + u
        b.p[i] -= rate * m[i]
      }
    }
  }

  /// Checks the step count, *m*'s shapes and one finite *v* ≥ 0 per leaf.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try state.validate(for: params)
    guard state.leafSecondMoments.count == params.parameterLeafCount else {
      throw .invalidState(
        "NovoGrad keeps one second moment per leaf: \(state.leafSecondMoments.count) for \(params.parameterLeafCount) leaves")
    }
    if let bad = state.leafSecondMoments.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
      throw .invalidState("NovoGrad's second moment of leaf \(bad) is \(state.leafSecondMoments[bad]), not finite and ≥ 0")
    }
  }
}
