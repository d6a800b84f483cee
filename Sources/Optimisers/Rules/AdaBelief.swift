/// AdaBelief: Adam whose second moment tracks the squared deviation of the
/// gradient from its running mean (the "belief") rather than the squared
/// gradient.
///
/// With g′ = map(g), t the step number counted from 1 and both moments
/// starting at zero:
///
///     m ← (1 − β₁) g′ + β₁ m
///     s ← (1 − β₂)(g′ − m)² + β₂ s + ε_root
///     p ← p − η · (m / (1 − β₁ᵗ)) / (√(s / (1 − β₂ᵗ)) + ε)
///
/// The deviation uses the *updated* m; ε_root is added to *s* every step (inside
/// the square root, before the bias correction) and ε outside it. This
/// reproduces `optax.adabelief(η, b1, b2, eps, eps_root)`, whose defaults it
/// shares (ε = ε_root = 1e-16).
///
/// State: the step count, *m* and *s*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Zhuang et al., *AdaBelief Optimizer: Adapting Stepsizes by the
///   Belief in Observed Gradients*, NeurIPS 2020.
public struct AdaBelief<Params: Differentiable>: KernelRule {
  /// The learning rate η; default 0.001.
  public var learningRate: Double
  /// The first-moment decay β₁ ∈ [0, 1); default 0.9.
  public var beta1: Double
  /// The belief decay β₂ ∈ [0, 1); default 0.999.
  public var beta2: Double
  /// The guard ε > 0 outside the square root; default 1e-16.
  public var epsilon: Double
  /// The guard ε_root ≥ 0 added to *s* each step; default 1e-16.
  public var epsilonRoot: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.001.
  ///   - beta1: β₁ ∈ [0, 1); default 0.9.
  ///   - beta2: β₂ ∈ [0, 1); default 0.999.
  ///   - epsilon: ε > 0; default 1e-16.
  ///   - epsilonRoot: ε_root ≥ 0; default 1e-16.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-16,
    epsilonRoot: Double = 1e-16
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.epsilonRoot = epsilonRoot
    requireValidHyperparameters()
  }

  /// The step count, the first moment and the belief.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: BufferedState, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<AdaBelief>()
    /// The number of updates applied so far.
    public var step: Int
    /// The first-moment estimate *m*.
    public var firstMoment: Params.TangentVector
    /// The running squared deviation *s*.
    public var belief: Params.TangentVector

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - firstMoment: *m*.
    ///   - belief: *s*.
    /// - Complexity: O(1).
    @inlinable
    public init(step: Int, firstMoment: Params.TangentVector, belief: Params.TangentVector) {
      self.step = step
      self.firstMoment = firstMoment
      self.belief = belief
    }

    /// The buffers, in the kernel's order.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&firstMoment, "firstMoment")
      visitor.visit(&belief, "belief")
    }
  }

  /// Step 0 and zero buffers.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    let zero = params.zeroTangentVector
    return State(step: 0, firstMoment: zero, belief: zero)
  }

  /// One step, fused over the parameters, the gradient and the state's buffers.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let t = Double(t)
    let c1 = S(1 - power(beta1, t)), c2 = S(1 - power(beta2, t))
    let rate = S(learningRate), mix1 = S(1 - beta1), keep1 = S(beta1)
    let mix2 = S(1 - beta2), keep2 = S(beta2), eps = S(epsilon), epsRoot = S(epsilonRoot)
    walk { b in
      let (p, m, s) = (b.p, b[0], b[1])
      for i in b.indices {
        let gi = b.gradient(i)
        let mi = mix1 * gi + keep1 * m[i]
        let deviation = gi - mi
        let si = mix2 * (deviation * deviation) + keep2 * s[i] + epsRoot
        m[i] = mi
        s[i] = si
        p[i] -= rate * ((mi / c1) / (S.squareRoot(of: si / c2) + eps))
      }
    }
  }

  /// Declares each hyperparameter's range.
  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.positive(epsilon, "epsilon"); h.nonNegative(epsilonRoot, "epsilonRoot")
  }
}
