/// AdaDelta: a step whose units match the parameters', from running averages of
/// squared gradients and squared steps, times a learning-rate multiplier.
///
/// With g′ = map(g), ρ the decay and both averages starting at zero:
///
///     v ← ρ v + (1 − ρ) g′²
///     δ = √(u + ε) / √(v + ε) · g′
///     u ← ρ u + (1 − ρ) δ²
///     p ← p − η · δ
///
/// ε is inside both square roots. This is
/// `torch.optim.Adadelta(params, lr=η, rho=ρ, eps=ε)`, whose learning-rate
/// multiplier η defaults to 1.0 (Zeiler's rule has none); the defaults follow
/// PyTorch. (`optax.adadelta` computes the same step.)
///
/// State: the step count, *v* and *u*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Zeiler, *ADADELTA: An Adaptive Learning Rate Method*, 2012.
public struct AdaDelta<Params: Differentiable>: KernelRule {
  /// The learning-rate multiplier η; default 1.0.
  public var learningRate: Double
  /// The decay ρ ∈ [0, 1) of both running averages; default 0.9.
  public var rho: Double
  /// The guard ε > 0 inside both square roots; default 1e-6.
  public var epsilon: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 1.0.
  ///   - rho: ρ ∈ [0, 1); default 0.9.
  ///   - epsilon: ε > 0; default 1e-6.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(learningRate: Double = 1.0, rho: Double = 0.9, epsilon: Double = 1e-6) {
    self.learningRate = learningRate
    self.rho = rho
    self.epsilon = epsilon
    requireValidHyperparameters()
  }

  /// The step count and the two running averages.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: BufferedState, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<AdaDelta>()
    /// The number of updates applied so far.
    public var step: Int
    /// The running average of squared gradients *v*.
    public var meanSquareGradient: Params.TangentVector
    /// The running average of squared steps *u*.
    public var meanSquareDelta: Params.TangentVector

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - meanSquareGradient: *v*.
    ///   - meanSquareDelta: *u*.
    /// - Complexity: O(1).
    @inlinable
    public init(step: Int, meanSquareGradient: Params.TangentVector, meanSquareDelta: Params.TangentVector) {
      self.step = step
      self.meanSquareGradient = meanSquareGradient
      self.meanSquareDelta = meanSquareDelta
    }

    /// The buffers, in the kernel's order.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&meanSquareGradient, "meanSquareGradient")
      visitor.visit(&meanSquareDelta, "meanSquareDelta")
    }
  }

  /// Step 0 and zero averages.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    let zero = params.zeroTangentVector
    return State(step: 0, meanSquareGradient: zero, meanSquareDelta: zero)
  }

  /// One step, fused over the parameters, the gradient and the state's buffers.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let rate = S(learningRate), keep = S(rho), mix = S(1 - rho), eps = S(epsilon)
    walk { b in
      let (p, v, u) = (b.p, b[0], b[1])
      for i in b.indices {
        let gi = b.gradient(i)
        let vi = keep * v[i] + mix * gi * gi
        v[i] = vi
        let delta = S.squareRoot(of: u[i] + eps) / S.squareRoot(of: vi + eps) * gi
        u[i] = keep * u[i] + mix * delta * delta
        p[i] -= rate * delta
      }
    }
  }

  /// Declares each hyperparameter's range.
  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(rho, "rho"); h.positive(epsilon, "epsilon")
  }
}
