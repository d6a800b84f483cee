/// Lion: sign descent on an interpolation of the gradient and a momentum,
/// with decoupled weight decay.
///
/// With g′ = map(g), λ the weight decay and *m* starting at zero:
///
///     c = (1 − β₁) g′ + β₁ m
///     p ← p − η (sign(c) + λ p)
///     m ← (1 − β₂) g′ + β₂ m
///
/// β₁ mixes the step direction and β₂ the momentum that is kept, as in the
/// paper's Algorithm 2 and `optax.lion(η, b1, b2, weight_decay=λ)`, which this
/// reproduces (sign(0) = 0). The weight decay is scaled by η. Every step moves
/// each coordinate by η (plus the decay) whatever the gradient's size, so use a
/// learning rate 3–10× smaller than Adam's. Defaults: η = 1e-4, β₁ = 0.9,
/// β₂ = 0.99 (the paper's), λ = 0 (optax's is 1e-3).
///
/// There is no ε and no bias correction. A zero gradient is a fixed point only
/// with a zero momentum and λ = 0.
///
/// State: the step count and *m*. Memory: one buffer per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Chen et al., *Symbolic Discovery of Optimization Algorithms*,
///   NeurIPS 2023.
public struct Lion<Params: Differentiable>: KernelRule {
  /// The learning rate η; default 1e-4.
  public var learningRate: Double
  /// The interpolation weight β₁ ∈ [0, 1] of the momentum in the step
  /// direction; default 0.9.
  public var beta1: Double
  /// The momentum decay β₂ ∈ [0, 1); default 0.99.
  public var beta2: Double
  /// The decoupled weight decay λ ≥ 0 (multiplied by η); default 0.
  public var weightDecay: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 1e-4.
  ///   - beta1: β₁ ∈ [0, 1]; default 0.9.
  ///   - beta2: β₂ ∈ [0, 1); default 0.99.
  ///   - weightDecay: λ ≥ 0; default 0.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(learningRate: Double = 1e-4, beta1: Double = 0.9, beta2: Double = 0.99, weightDecay: Double = 0) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.weightDecay = weightDecay
    requireValidHyperparameters()
  }

  /// `optax.lion(η)`'s defaults: β₁ = 0.9, β₂ = 0.99, λ = 10⁻³ (the
  /// initialiser's λ is 0).
  @inlinable public static func optax(learningRate: Double) -> Lion {
    Lion(learningRate: learningRate, weightDecay: 1e-3)
  }

  /// The step count and the momentum.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: BufferedState, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<Lion>()
    /// The number of updates applied so far.
    public var step: Int
    /// The momentum *m*.
    public var momentum: Params.TangentVector

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - momentum: *m*.
    /// - Complexity: O(1).
    @inlinable
    public init(step: Int, momentum: Params.TangentVector) {
      self.step = step
      self.momentum = momentum
    }

    /// The buffers, in the kernel's order.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&momentum, "momentum")
    }
  }

  /// Step 0 and a zero momentum.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    State(step: 0, momentum: params.zeroTangentVector)
  }

  /// One step, fused over the parameters, the gradient and the state's buffers.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let rate = S(learningRate), decay = S(weightDecay)
    let mix1 = S(1 - beta1), keep1 = S(beta1), mix2 = S(1 - beta2), keep2 = S(beta2)
    walk { b in
      let (p, m) = (b.p, b[0])
      for i in b.indices {
        let gi = b.gradient(i)
        let direction = Elementwise.sign(mix1 * gi + keep1 * m[i]) + decay * p[i]
        m[i] = mix2 * gi + keep2 * m[i]
        p[i] -= rate * direction
      }
    }
  }

  /// Declares each hyperparameter's range.
  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.closedUnitInterval(beta1, "beta1")
    h.unitInterval(beta2, "beta2"); h.nonNegative(weightDecay, "weightDecay")
  }
}
