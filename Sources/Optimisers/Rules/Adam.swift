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
  /// The learning rate η ≥ 0.
  public var learningRate: Double
  /// The first-moment decay β₁ ∈ [0, 1).
  public var beta1: Double
  /// The second-moment decay β₂ ∈ [0, 1).
  public var beta2: Double
  /// The denominator's guard ε > 0, added outside the square root.
  public var epsilon: Double
  /// The inverse-decay coefficient ≥ 0: ηₜ = η / (1 + decay · (t − 1)).
  public var decay: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, decay: Double = 0
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon, self.decay) = (learningRate, beta1, beta2, epsilon, decay)
    requireValidHyperparameters()
  }

  @inlinable
  public func declareHyperparameters(_ h: inout Hyperparameters<Self>) {
    h.nonNegative(\.learningRate); h.unitInterval(\.beta1); h.unitInterval(\.beta2); h.positive(\.epsilon); h.nonNegative(\.decay)
  }

  /// The step count and the moments *m* and *v* (see ``MomentEstimates``).
  public typealias State = MomentEstimates<Params, Adam>

  /// One bias-corrected step, fused over p, g, m and v.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let stepSize = S(inverseDecay(learningRate, decay, step: t) / (1 - power(beta1, Double(t))))
    let root2 = S(Double.squareRoot(of: 1 - power(beta2, Double(t))))
    let keep1 = S(1 - beta1), keep2 = S(beta2), mix2 = S(1 - beta2), eps = S(epsilon)
    walk { b in
      let (m, v) = (b[0], b[1])
      for i in b.indices {
        let g = b.gradient(i)
        m[i] += keep1 * (g - m[i])
        v[i] = keep2 * v[i] + mix2 * g * g
        b.p[i] -= stepSize * m[i] / (S.squareRoot(of: v[i]) / root2 + eps)
      }
    }
  }
}
