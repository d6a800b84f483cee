/// Gradient descent with Nesterov momentum, in PyTorch's formulation.
///
/// The step looks ahead along the velocity:
///
///     ηₜ = η / (1 + decay · t)          (t = 0 at the first update)
///     v ← μ · v + g′                    (v₀ = 0; g′ = g + λp)
///     p ← p − ηₜ · (g′ + μ · v)
///
/// This is `torch.optim.SGD(params, lr, momentum=μ, nesterov=True, weight_decay=λ)`
/// (torch allows Nesterov only with dampening 0; λ is 0 by default)
/// and `optax.sgd(lr, momentum=μ, nesterov=True)`. Flux's form, v ← μv − ηg,
/// p ← p − μ v_old + (1 + μ) v, gives the same iterates for a constant learning
/// rate.
///
/// SGD with options is spelled as separate rules in this package:
/// `torch.optim.SGD(momentum=0)` is ``SGD``, `momentum=μ` is ``Momentum`` and
/// `nesterov=True` is ``Nesterov``; `dampening=` is ``Momentum``'s.
///
/// State: the step count and the velocity *v*. Memory: one buffer per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Nesterov, *A method for solving the convex programming problem
///   with convergence rate O(1/k²)*, 1983; Sutskever et al., *On the importance of
///   initialization and momentum in deep learning*, 2013.
public struct Nesterov<Params: Differentiable>: KernelRule, CheckpointDescribable {
  /// The learning rate η ≥ 0 (0.01), the momentum μ ∈ [0, 1) (0.9), the
  /// inverse decay ≥ 0 of the seed's rules, ηₜ = η / (1 + decay · (t − 1)) (0),
  /// and torch's coupled weight decay λ ≥ 0 (0).
  public var learningRate, momentum, decay, weightDecay: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(learningRate: Double = 0.01, momentum: Double = 0.9, decay: Double = 0, weightDecay: Double = 0) {
    (self.learningRate, self.momentum, self.decay, self.weightDecay) = (learningRate, momentum, decay, weightDecay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, μ ∈ [0, 1), decay ≥ 0, λ ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(momentum, "momentum")
    h.nonNegative(decay, "decay"); h.option(weightDecay, "weightDecay")
  }


  /// The step count and the velocity.
  public typealias State = VelocityState<Params, Nesterov>

  /// v ← μv + g; p ← p − ηₜ(g + μv), fused over p, g and v.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let rate = Scalar(inverseDecay(learningRate, decay, step: t)), mu = Scalar(momentum), l2 = Scalar(weightDecay)
    walk { b in
      let v = b[0]
      b.forEachGradient(weightDecay: l2) { i, g in
        v[i] = mu * v[i] + g
        b.p[i] -= rate * (g + mu * v[i])
      }
    }
  }
}
