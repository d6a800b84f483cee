/// Adam: adaptive moment estimation, bias-corrected, ε outside the square root.
///
/// With g′ = map(g) and t the step number counted from 1:
///
///     ηₜ = η / (1 + decay · (t − 1))
///     m ← m + (1 − β₁)(g′ − m)            (= β₁m + (1 − β₁)g′)
///     v ← β₂ v + (1 − β₂) g′²
///     p ← p − (ηₜ / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// Both moments start at zero and are bias-corrected by 1 − βᵗ; ε is added
/// *after* the square root and after the second-moment correction, as in
/// `torch.optim.Adam(params, lr, betas=(β₁, β₂), eps)` and
/// `optax.adam(lr, b1, b2, eps)` (they agree). The arithmetic follows PyTorch's
/// order (a `lerp` for *m*, the step size η/(1 − β₁ᵗ) computed in double
/// precision), so float32 runs match torch's float32 closely.
///
/// State: the step count and the moments *m* and *v*. Memory: two buffers per
/// parameter.
///
/// - Complexity: O(*n*) per step, one fused pass reading p, g, m, v and writing
///   p, m, v.
/// - References: Kingma and Ba, *Adam: A Method for Stochastic Optimization*,
///   ICLR 2015.
public struct Adam<Params: Differentiable>: KernelRule {
  /// The learning rate η ≥ 0 (0.001), the moment decays β₁, β₂ ∈ [0, 1) (0.9 and
  /// 0.999), the guard ε > 0 outside the square root (1e-8) and the inverse
  /// decay ≥ 0 of the seed's rules, ηₜ = η / (1 + decay · (t − 1)) (0).
  public var learningRate, beta1, beta2, epsilon, decay: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, decay: Double = 0) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon, self.decay) = (learningRate, beta1, beta2, epsilon, decay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, β₁, β₂ ∈ [0, 1), ε > 0, decay ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.positive(epsilon, "epsilon"); h.nonNegative(decay, "decay")
  }

  /// The step count and the moments *m* and *v* (see ``MomentEstimates``).
  public typealias State = MomentEstimates<Params, Adam>

  /// One bias-corrected step, fused over p, g, m and v.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let stepSize = Scalar(inverseDecay(learningRate, decay, step: t) / (1 - power(beta1, Double(t))))
    let root2 = Scalar(Double.squareRoot(of: 1 - power(beta2, Double(t))))
    let keep1 = Scalar(1 - beta1), keep2 = Scalar(beta2), mix2 = Scalar(1 - beta2), eps = Scalar(epsilon)
    walk { b in
      let (m, v) = (b[0], b[1])
      for i in b.indices {
        let g = b.gradient(i), mi = m[i] + keep1 * (g - m[i]), vi = keep2 * v[i] + mix2 * g * g
        (m[i], v[i]) = (mi, vi)
        b.p[i] -= stepSize * mi / (Scalar.squareRoot(of: vi) / root2 + eps)
      }
    }
  }
}
