/// Averaged stochastic gradient descent: SGD with a decaying rate and an
/// L2 shrink, keeping a running (Polyak–Ruppert) average of the iterates.
///
/// With g′ = map(g) + λ_wd p (torch's coupled `weight_decay`, 0 by default) and
/// t the step number counted from 1:
///
///     ηₜ = η / (1 + λ η (t − 1))^α
///     p ← p · (1 − λ ηₜ) − ηₜ g′
///     μₜ = 1 / max(1, t − 1 − t₀)
///     p̄ ← p  (μₜ = 1),   p̄ ← p̄ + μₜ (p − p̄)  (otherwise)
///
/// This is `torch.optim.ASGD(params, lr=η, lambd=λ, alpha=α, t0=t₀,
/// weight_decay=λ_wd)`, whose defaults it shares. The parameters follow the
/// SGD iterates; the average p̄ (torch's `ax`) is the state's `average`
/// buffer (`state.buffer(named: "average")`), which a caller evaluates or
/// exports instead of *p*.
/// Averaging starts after t₀ steps (until then p̄ is the latest iterate).
///
/// State: the step count and p̄. Memory: one buffer per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Polyak and Juditsky, *Acceleration of Stochastic Approximation
///   by Averaging*, SIAM J. Control Optim. 1992; Bottou, *Stochastic Gradient
///   Descent Tricks*, 2012.
public struct ASGD<Params: Differentiable>: KernelRule, BufferNaming {
  /// The learning rate η ≥ 0 (0.01), the decay term λ ≥ 0 (1e-4), the rate's
  /// decay power α ≥ 0 (0.75), the step t₀ ≥ 0 after which averaging starts
  /// (1e6) and torch's coupled weight decay λ_wd ≥ 0 (0).
  public var learningRate, lambda, alpha, t0, weightDecay: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 0.01, lambda: Double = 1e-4, alpha: Double = 0.75, t0: Double = 1e6, weightDecay: Double = 0
  ) {
    (self.learningRate, self.lambda, self.alpha, self.t0, self.weightDecay) = (learningRate, lambda, alpha, t0, weightDecay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, λ ≥ 0, α ≥ 0, t₀ ≥ 0, λ_wd ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.nonNegative(lambda, "lambda"); h.nonNegative(alpha, "alpha")
    h.nonNegative(t0, "t0"); h.nonNegative(weightDecay, "weightDecay")
  }

  /// The average p̄ of the iterates (torch's `ax`; the first step sets it to the iterate).
  public static var bufferNames: [StaticString] { ["average"] }
  /// The step count and the buffers above (``NamedBufferState``).
  public typealias State = NamedBufferState<Params, ASGD>

  /// The SGD step with the shrink, then the average, fused over p, g and p̄.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let eta = learningRate / power(1 + lambda * learningRate * Double(t - 1), alpha)
    let mu = 1 / Swift.max(1, Double(t - 1) - t0)
    let rate = Scalar(eta), shrink = Scalar(1 - lambda * eta), weight = Scalar(mu), copies = mu == 1
    let l2 = Scalar(weightDecay)
    walk { b in
      let average = b[0]
      b.forEachGradient(weightDecay: l2, shrink: shrink) { i, g in
        let p = b.p[i] - rate * g
        b.p[i] = p
        average[i] = copies ? p : average[i] + (p - average[i]) * weight
      }
    }
  }
}
