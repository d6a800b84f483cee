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
public struct Lion<Params: Differentiable>: KernelRule, BufferNaming {
  /// The learning rate η ≥ 0 (1e-4), the step's mixing coefficient β₁ ∈ [0, 1]
  /// (0.9), the kept momentum's decay β₂ ∈ [0, 1) (0.99) and the decoupled
  /// weight decay λ ≥ 0, scaled by η (0; optax's is 1e-3, see ``optax(learningRate:)``).
  public var learningRate, beta1, beta2, weightDecay: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(learningRate: Double = 1e-4, beta1: Double = 0.9, beta2: Double = 0.99, weightDecay: Double = 0) {
    (self.learningRate, self.beta1, self.beta2, self.weightDecay) = (learningRate, beta1, beta2, weightDecay)
    requireValidHyperparameters()
  }

  /// `optax.lion(η)`'s defaults: β₁ = 0.9, β₂ = 0.99, λ = 10⁻³ (the
  /// initialiser's λ is 0).
  @inlinable public static func optax(learningRate: Double) -> Lion {
    Lion(learningRate: learningRate, weightDecay: 1e-3)
  }

  /// η ≥ 0, β₁ ∈ [0, 1], β₂ ∈ [0, 1), λ ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.closedUnitInterval(beta1, "beta1")
    h.unitInterval(beta2, "beta2"); h.nonNegative(weightDecay, "weightDecay")
  }

  /// The buffers: the momentum *m*.
  public static var bufferNames: [StaticString] { ["momentum"] }
  /// The step count and the buffers above (``NamedBufferState``).
  public typealias State = NamedBufferState<Params, Lion>

  /// One step, fused over p, g and m.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let rate = Scalar(learningRate), decay = Scalar(weightDecay)
    let mix1 = Scalar(1 - beta1), keep1 = Scalar(beta1), mix2 = Scalar(1 - beta2), keep2 = Scalar(beta2)
    walk { b in
      let m = b[0]
      for i in b.indices {
        let g = b.gradient(i), direction = Elementwise.sign(mix1 * g + keep1 * m[i]) + decay * b.p[i]
        m[i] = mix2 * g + keep2 * m[i]
        b.p[i] -= rate * direction
      }
    }
  }
}

/// Lion's buffers by the names of its first release.
extension NamedBufferState where Rule == Lion<Params> {
  public init(step: Int, momentum: Params.TangentVector) { self.init(step: step, checked: [momentum]) }
  public var momentum: Params.TangentVector { get { self[0] } set { self[0] = newValue } }
}
