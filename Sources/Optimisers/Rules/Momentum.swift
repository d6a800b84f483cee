/// Gradient descent with heavy-ball momentum, in PyTorch's formulation.
///
/// The learning rate multiplies the velocity rather than living inside it:
///
///     ηₜ = η / (1 + decay · t)          (t = 0 at the first update)
///     v ← μ · v + g                     (v₀ = 0, so v₁ = g)
///     p ← p − ηₜ · v
///
/// This is `torch.optim.SGD(params, lr, momentum=μ)` (dampening 0), and
/// `optax.sgd(lr, momentum=μ)`. Flux writes the same rule as v ← μv − ηg,
/// p ← p + v: for a constant learning rate the two give identical iterates
/// (Flux's v is −η times ours); when the rate changes, ours applies the new rate
/// to the whole accumulated velocity, as torch.optim does.
///
/// SGD with options is spelled as separate rules in this package:
/// `torch.optim.SGD(momentum=0)` is ``SGD``, `momentum=μ` is ``Momentum`` and
/// `nesterov=True` is ``Nesterov``. PyTorch's `dampening` is not offered (its
/// default, 0, is what all three reproduce).
///
/// State: the step count and the velocity *v*. Memory: one buffer per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Polyak, *Some methods of speeding up the convergence of iteration
///   methods*, 1964; Sutskever et al., *On the importance of initialization and
///   momentum in deep learning*, 2013.
public struct Momentum<Params: Differentiable>: KernelRule {
  /// The learning rate η ≥ 0 (0.01), the momentum μ ∈ [0, 1) (0.9) and the
  /// inverse decay ≥ 0 of the seed's rules, ηₜ = η / (1 + decay · (t − 1)) (0).
  public var learningRate, momentum, decay: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(learningRate: Double = 0.01, momentum: Double = 0.9, decay: Double = 0) {
    (self.learningRate, self.momentum, self.decay) = (learningRate, momentum, decay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, μ ∈ [0, 1), decay ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(momentum, "momentum")
    h.nonNegative(decay, "decay")
  }

  /// The step count and the velocity.
  public typealias State = VelocityState<Params, Momentum>

  /// v ← μv + g; p ← p − ηₜv, fused over p, g and v.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let rate = Scalar(inverseDecay(learningRate, decay, step: t)), mu = Scalar(momentum)
    walk { b in
      let v = b[0]
      for i in b.indices {
        let g = b.gradient(i)
        v[i] = mu * v[i] + g
        b.p[i] -= rate * v[i]
      }
    }
  }
}
