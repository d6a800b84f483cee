/// Gradient descent with heavy-ball momentum, in PyTorch's formulation.
///
/// The learning rate multiplies the velocity rather than living inside it:
///
///     ηₜ = η / (1 + decay · t)          (t = 0 at the first update)
///     v ← μ · v + (1 − τ) · g′          (v₁ = g′, undamped)
///     p ← p − ηₜ · v
///
/// with g′ = g + λp (torch's coupled `weight_decay`, 0 by default) and τ the
/// dampening (0 by default). This is `torch.optim.SGD(params, lr, momentum=μ,
/// dampening=τ, weight_decay=λ)`, including its undamped first step (the buffer
/// starts as the first gradient), and `optax.sgd(lr, momentum=μ)`. Flux writes the same rule as v ← μv − ηg,
/// p ← p + v: for a constant learning rate the two give identical iterates
/// (Flux's v is −η times ours); when the rate changes, ours applies the new rate
/// to the whole accumulated velocity, as torch.optim does.
///
/// SGD with options is spelled as separate rules in this package:
/// `torch.optim.SGD(momentum=0)` is ``SGD``, `momentum=μ` is ``Momentum`` and
/// `nesterov=True` is ``Nesterov`` (which torch allows only undamped).
///
/// State: the step count and the velocity *v*. Memory: one buffer per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Polyak, *Some methods of speeding up the convergence of iteration
///   methods*, 1964; Sutskever et al., *On the importance of initialization and
///   momentum in deep learning*, 2013.
public struct Momentum<Params: Differentiable>: KernelRule, CheckpointDescribable {
  /// The learning rate η ≥ 0 (0.01), the momentum μ ∈ [0, 1) (0.9), the
  /// inverse decay ≥ 0 of the seed's rules, ηₜ = η / (1 + decay · (t − 1)) (0),
  /// torch's dampening τ ∈ [0, 1] (0) and coupled weight decay λ ≥ 0 (0).
  public var learningRate, momentum, decay, dampening, weightDecay: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 0.01, momentum: Double = 0.9, decay: Double = 0, dampening: Double = 0, weightDecay: Double = 0
  ) {
    (self.learningRate, self.momentum, self.decay, self.dampening, self.weightDecay) =
      (learningRate, momentum, decay, dampening, weightDecay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, μ ∈ [0, 1), decay ≥ 0, τ ∈ [0, 1], λ ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(momentum, "momentum")
    h.nonNegative(decay, "decay"); h.option(dampening, "dampening", in: .closedUnitInterval); h.option(weightDecay, "weightDecay")
  }


  /// The step count and the velocity.
  public typealias State = VelocityState<Params, Momentum>

  /// v ← μv + (1 − τ)g′ (v ← g′ on the first step); p ← p − ηₜv, fused over p, g and v.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let rate = Scalar(inverseDecay(learningRate, decay, step: t)), mu = Scalar(momentum)
    let undamped = Scalar(1 - dampening), first = t == 1 && dampening != 0, l2 = Scalar(weightDecay)
    walk { b in
      let v = b[0]
      b.forEachGradient(weightDecay: l2) { i, g in
        v[i] = first ? g : mu * v[i] + undamped * g
        b.p[i] -= rate * v[i]
      }
    }
  }
}
