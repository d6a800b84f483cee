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
/// `torch.optim.Adamax(params, lr=η, betas=(β₁, β₂), eps=ε)` and
/// `optax.adamax(η, b1, b2, eps)` (measured: optax 0.2.8 also adds ε inside the
/// max). The defaults follow both.
///
/// State: the step count, *m* and *u*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Kingma and Ba, *Adam: A Method for Stochastic Optimization*,
///   ICLR 2015, §7.1.
public struct AdaMax<Params: Differentiable>: KernelRule {
  /// Where ε enters.
  ///
  /// - Complexity: O(1).
  public enum EpsilonPlacement: String, Codable, Sendable, Hashable {
    /// u ← max(β₂u, |g| + ε): `torch.optim.Adamax` and `optax.adamax`.
    case insideMax
    /// u ← max(β₂u, |g|), then divide by u + ε: `tf.keras.optimizers.Adamax`.
    case outside
  }

  /// The learning rate η; default 0.002.
  public var learningRate: Double
  /// The first-moment decay β₁ ∈ [0, 1); default 0.9.
  public var beta1: Double
  /// The infinity-norm decay β₂ ∈ [0, 1); default 0.999.
  public var beta2: Double
  /// The guard ε > 0; default 1e-8.
  public var epsilon: Double
  /// Where ε goes; default ``EpsilonPlacement/insideMax`` (PyTorch, optax).
  public var epsilonPlacement: EpsilonPlacement

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.002.
  ///   - beta1: β₁ ∈ [0, 1); default 0.9.
  ///   - beta2: β₂ ∈ [0, 1); default 0.999.
  ///   - epsilon: ε > 0; default 1e-8.
  ///   - epsilonPlacement: Default `.insideMax`.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 0.002, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    epsilonPlacement: EpsilonPlacement = .insideMax
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.epsilonPlacement = epsilonPlacement
    requireValidHyperparameters()
  }

  /// The step count, the first moment and the infinity norm.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: BufferedState, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<AdaMax>()
    /// The number of updates applied so far.
    public var step: Int
    /// The first-moment estimate *m*.
    public var firstMoment: Params.TangentVector
    /// The exponentially weighted infinity norm *u*.
    public var infinityNorm: Params.TangentVector

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - firstMoment: *m*.
    ///   - infinityNorm: *u*.
    /// - Complexity: O(1).
    @inlinable
    public init(step: Int, firstMoment: Params.TangentVector, infinityNorm: Params.TangentVector) {
      self.step = step
      self.firstMoment = firstMoment
      self.infinityNorm = infinityNorm
    }

    /// The buffers, in the kernel's order.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&firstMoment, "firstMoment")
      visitor.visit(&infinityNorm, "infinityNorm")
    }
  }

  /// Step 0 and zero buffers.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    let zero = params.zeroTangentVector
    return State(step: 0, firstMoment: zero, infinityNorm: zero)
  }

  /// One step, fused over the parameters, the gradient and the state's buffers.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let stepSize = S(learningRate / (1 - power(beta1, Double(t))))
    let mix1 = S(1 - beta1), keep2 = S(beta2), eps = S(epsilon)
    let inside = epsilonPlacement == .insideMax
    walk { b in
      let (p, m, u) = (b.p, b[0], b[1])
      for i in b.indices {
        let gi = b.gradient(i)
        let mi = m[i] + mix1 * (gi - m[i])
        m[i] = mi
        if inside {
          let ui = Elementwise.maximum(keep2 * u[i], abs(gi) + eps)
          u[i] = ui
          p[i] -= stepSize * (mi / ui)
        } else {
          let ui = Elementwise.maximum(keep2 * u[i], abs(gi))
          u[i] = ui
          p[i] -= stepSize * (mi / (ui + eps))
        }
      }
    }
  }

  /// Declares each hyperparameter's range.
  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.positive(epsilon, "epsilon")
  }
}
