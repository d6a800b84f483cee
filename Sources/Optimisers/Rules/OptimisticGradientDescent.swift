/// Optimistic gradient descent: a step along the gradient extrapolated from the
/// previous one, for min-max games where plain descent cycles.
///
/// With g′ = map(g) and gₚ the previous step's g′ (g′ itself on the first step):
///
///     p ← p − η ((α + β) g′ − β gₚ);   gₚ ← g′
///
/// This is `optax.optimistic_gradient_descent(η, alpha=α, beta=β)`, whose
/// defaults it shares (α = β = 1, so p ← p − η(2g′ − gₚ)); on the first step it
/// is p ← p − ηαg′, as optax's. Unlike ``OAdam``, which extrapolates Adam's
/// direction, this extrapolates the raw gradient.
///
/// State: the step count and gₚ. Memory: one buffer per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Daskalakis et al., *Training GANs with Optimism*, ICLR 2018;
///   Mokhtari, Ozdaglar and Pattathil, *A Unified Analysis of Extra-gradient and
///   Optimistic Gradient Methods for Saddle Point Problems*, AISTATS 2020.
public struct OptimisticGradientDescent<Params: Differentiable>: KernelRule, BufferNaming {
  /// The learning rate η ≥ 0 (no default in optax; 0.01 here), the weight
  /// α ≥ 0 of the current gradient (1) and the weight β ≥ 0 of the correction
  /// g′ − gₚ (1).
  public var learningRate, alpha, beta: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(learningRate: Double = 0.01, alpha: Double = 1, beta: Double = 1) {
    (self.learningRate, self.alpha, self.beta) = (learningRate, alpha, beta)
    requireValidHyperparameters()
  }

  /// η ≥ 0, α ≥ 0, β ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.nonNegative(alpha, "alpha"); h.nonNegative(beta, "beta")
  }

  /// The previous step's mapped gradient gₚ (zero before the first step).
  public static var bufferNames: [StaticString] { ["previousGradient"] }
  /// The step count and the buffers above (``NamedBufferState``).
  public typealias State = NamedBufferState<Params, OptimisticGradientDescent>

  /// p ← p − η((α + β)g′ − βgₚ); gₚ ← g′, fused over p, g and gₚ.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let rate = Scalar(learningRate), current = Scalar(alpha + beta), past = Scalar(beta), first = t == 1
    walk { b in
      let previous = b[0]
      for i in b.indices {
        let g = b.gradient(i), before = first ? g : previous[i]
        previous[i] = g
        b.p[i] -= rate * (current * g - past * before)
      }
    }
  }
}
