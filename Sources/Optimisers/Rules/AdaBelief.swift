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
public struct AdaBelief<Params: Differentiable>: KernelRule, BufferNaming {
  /// The learning rate η ≥ 0 (0.001), the moment decays β₁, β₂ ∈ [0, 1) (0.9 and
  /// 0.999), the guard ε ≥ 0 (> 0 when ε_root = 0) outside the square root (1e-16) and ε_root ≥ 0
  /// added to *s* every step (1e-16).
  public var learningRate, beta1, beta2, epsilon, epsilonRoot: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-16,
    epsilonRoot: Double = 1e-16
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon, self.epsilonRoot) = (learningRate, beta1, beta2, epsilon, epsilonRoot)
    requireValidHyperparameters()
  }

  /// η ≥ 0, β₁, β₂ ∈ [0, 1), ε, ε_root ≥ 0 not both 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.adaptiveMoments(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, epsilonRoot: epsilonRoot)
  }

  /// The buffers: the first moment and the belief *s*.
  public static var bufferNames: [StaticString] { ["firstMoment", "belief"] }
  /// The step count and the buffers above (``NamedBufferState``).
  public typealias State = NamedBufferState<Params, AdaBelief>

  /// One step, fused over p, g, *m* and *s*.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let a = AdamArithmetic<Scalar>(beta1: beta1, beta2: beta2, epsilon: epsilon, epsilonRoot: 0, step: t, learningRate: learningRate)
    let root = Scalar(epsilonRoot)
    walk { b in
      let s = b[1]
      for i in b.indices {
        let g = b.gradient(i), mi = a.optaxFirstMoment(g, b[0], i), deviation = g - mi
        let si = a.mix2 * (deviation * deviation) + a.keep2 * s[i] + root
        s[i] = si
        b.p[i] -= a.optaxStep(mi, si)
      }
    }
  }
}

/// AdaBelief's buffers by the names of its first release.
extension NamedBufferState where Rule == AdaBelief<Params> {
  public init(step: Int, firstMoment: Params.TangentVector, belief: Params.TangentVector) { self.init(step: step, checked: [firstMoment, belief]) }
  public var firstMoment: Params.TangentVector { get { self[0] } set { self[0] = newValue } }
  public var belief: Params.TangentVector { get { self[1] } set { self[1] = newValue } }
}
