/// AdaMax: Adam with the infinity norm in place of the second moment.
///
/// With g′ = map(g) and t the step number counted from 1:
///
///     m ← m + (1 − β₁)(g′ − m)
///     u ← max(β₂ u, |g′| + ε)                 (.insideMax: PyTorch, optax)
///     p ← p − (η / (1 − β₁ᵗ)) · m / u
///
/// or, with ``EpsilonPlacement/outside`` (Keras/TensorFlow's form):
///
///     u ← max(β₂ u, |g′|);   p ← p − (η / (1 − β₁ᵗ)) · m / (u + ε)
///
/// Only the first moment is bias-corrected; the infinity norm needs none. The
/// default ``EpsilonPlacement/insideMax`` reproduces
/// `torch.optim.Adamax(params, lr=η, betas=(β₁, β₂), eps=ε, weight_decay=λ)` (λ coupled, 0 by default) and
/// `optax.adamax(η, b1, b2, eps)` (measured: optax 0.2.8 also adds ε inside the
/// max). The defaults follow both.
///
/// State: the step count, *m* and *u*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Kingma and Ba, *Adam: A Method for Stochastic Optimization*,
///   ICLR 2015, §7.1.
public struct AdaMax<Params: Differentiable>: KernelRule, CheckpointDescribable, BufferNaming {
  /// Where ε enters.
  public enum EpsilonPlacement: String, Codable, Sendable, Hashable {
    /// u ← max(β₂u, |g| + ε): `torch.optim.Adamax` and `optax.adamax`.
    case insideMax
    /// u ← max(β₂u, |g|), then divide by u + ε: `tf.keras.optimizers.Adamax`.
    case outside
  }

  /// The learning rate η ≥ 0 (0.002), the first-moment decay β₁ ∈ [0, 1) (0.9),
  /// the infinity-norm decay β₂ ∈ [0, 1) (0.999), the guard ε > 0 (1e-8) and
  /// torch's coupled weight decay λ ≥ 0 (0).
  public var learningRate, beta1, beta2, epsilon, weightDecay: Double
  /// Where ε goes (``EpsilonPlacement/insideMax``: PyTorch, optax).
  public var epsilonPlacement: EpsilonPlacement

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 0.002, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    epsilonPlacement: EpsilonPlacement = .insideMax, weightDecay: Double = 0
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
    (self.epsilonPlacement, self.weightDecay) = (epsilonPlacement, weightDecay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, β₁, β₂ ∈ [0, 1), ε > 0, λ ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.positive(epsilon, "epsilon"); h.option(weightDecay, "weightDecay")
  }

  /// The buffers: the first moment and the infinity norm.
  public static var bufferNames: [StaticString] { ["firstMoment", "infinityNorm"] }
  /// The step count and the buffers above (``NamedBufferState``).
  public typealias State = NamedBufferState<Params, AdaMax>

  /// One step, fused over p, g, *m* and *u*.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let stepSize = Scalar(learningRate / (1 - power(beta1, Double(t))))
    let mix1 = Scalar(1 - beta1), keep2 = Scalar(beta2), eps = Scalar(epsilon), l2 = Scalar(weightDecay)
    let inside = epsilonPlacement == .insideMax
    walk { b in
      let (m, u) = (b[0], b[1])
      b.forEachGradient(weightDecay: l2) { i, g in
        let mi = m[i] + mix1 * (g - m[i])
        m[i] = mi
        let ui = Elementwise.maximum(keep2 * u[i], inside ? abs(g) + eps : abs(g))
        u[i] = ui
        b.p[i] -= stepSize * (mi / (inside ? ui : ui + eps))
      }
    }
  }
}

/// AdaMax's buffers by the names of its first release.
extension NamedBufferState where Rule == AdaMax<Params> {
  public init(step: Int, firstMoment: Params.TangentVector, infinityNorm: Params.TangentVector) { self.init(step: step, checked: [firstMoment, infinityNorm]) }
  public var firstMoment: Params.TangentVector { get { self[0] } set { self[0] = newValue } }
  public var infinityNorm: Params.TangentVector { get { self[1] } set { self[1] = newValue } }
}
