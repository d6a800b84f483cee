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
/// `torch.optim.Adadelta(params, lr=η, rho=ρ, eps=ε, weight_decay=λ)` (λ coupled, 0 by default), whose learning-rate
/// multiplier η defaults to 1.0 (Zeiler's rule has none); the defaults follow
/// PyTorch. (`optax.adadelta` computes the same step.)
///
/// State: the step count, *v* and *u*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Zeiler, *ADADELTA: An Adaptive Learning Rate Method*, 2012.
public struct AdaDelta<Params: Differentiable>: KernelRule, CheckpointDescribable, BufferNaming {
  /// The learning-rate multiplier η ≥ 0 (1), the decay ρ ∈ [0, 1) of both
  /// running averages (0.9), the guard ε > 0 inside both square roots (1e-6) and
  /// torch's coupled weight decay λ ≥ 0 (0).
  public var learningRate, rho, epsilon, weightDecay: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(learningRate: Double = 1.0, rho: Double = 0.9, epsilon: Double = 1e-6, weightDecay: Double = 0) {
    (self.learningRate, self.rho, self.epsilon, self.weightDecay) = (learningRate, rho, epsilon, weightDecay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, ρ ∈ [0, 1), ε > 0, λ ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(rho, "rho"); h.positive(epsilon, "epsilon")
    h.option(weightDecay, "weightDecay")
  }

  /// The buffers: the two running averages.
  public static var bufferNames: [StaticString] { ["meanSquareGradient", "meanSquareDelta"] }
  /// The step count and the buffers above (``NamedBufferState``).
  public typealias State = NamedBufferState<Params, AdaDelta>

  /// One step, fused over p, g, *v* and *u*.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let rate = Scalar(learningRate), keep = Scalar(rho), mix = Scalar(1 - rho), eps = Scalar(epsilon), l2 = Scalar(weightDecay)
    walk { b in
      let (v, u) = (b[0], b[1])
      b.forEachGradient(weightDecay: l2) { i, g in
        let vi = keep * v[i] + mix * g * g
        v[i] = vi
        let delta = Scalar.squareRoot(of: u[i] + eps) / Scalar.squareRoot(of: vi + eps) * g
        u[i] = keep * u[i] + mix * delta * delta
        b.p[i] -= rate * delta
      }
    }
  }
}

/// AdaDelta's buffers by the names of its first release.
extension NamedBufferState where Rule == AdaDelta<Params> {
  public init(step: Int, meanSquareGradient: Params.TangentVector, meanSquareDelta: Params.TangentVector) { self.init(step: step, checked: [meanSquareGradient, meanSquareDelta]) }
  public var meanSquareGradient: Params.TangentVector { get { self[0] } set { self[0] = newValue } }
  public var meanSquareDelta: Params.TangentVector { get { self[1] } set { self[1] = newValue } }
}
