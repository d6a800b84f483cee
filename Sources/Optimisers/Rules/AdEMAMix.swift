/// AdEMAMix: Adam's step with a second, slow moving average of the gradient
/// added to the fast one, so gradients from thousands of steps ago still count.
///
/// With t counted from 1 and, during a warm-up of T steps (none when T is
/// `nil`), αₜ = min(tα/T, α) and
/// β₃ₜ = min(exp(ln β₁ · ln β₃ / ((1 − t/T) ln β₃ + (t/T) ln β₁)), β₃):
///
///     m ← m + (1 − β₁)(g − m)              (fast,   = β₁m + (1 − β₁)g)
///     s ← s + (1 − β₃ₜ)(g − s)             (slow, not bias-corrected)
///     v ← β₂v + (1 − β₂)g²
///     p ← p − η((m/(1 − β₁ᵗ) + αₜ s) / (√v/√(1 − β₂ᵗ) + ε) + λp)
///
/// ε is outside the root; the weight decay λ is decoupled and scaled by η.
/// Matches `pytorch_optimizer.AdEMAMix(params, lr, betas=(β₁, β₂, β₃), alpha,
/// t_alpha_beta3, eps, weight_decouple=True)` (its warm-ups are the paper's) and
/// `optax.contrib.ademamix(learning_rate, b1, b2, b3, alpha, eps)` with constant
/// α and β₃ (optax takes the warm-ups as schedules of its own).
///
/// State: the step count, *m*, *s* and *v*. Memory: three buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Pagliardini, Ablin and Grangier, *The AdEMAMix Optimizer:
///   Better, Faster, Older*, ICLR 2025 (arXiv 2024).
public struct AdEMAMix<Params: Differentiable>: KernelRule, BufferNaming {
  /// The learning rate η ≥ 0 (0.001), the decays β₁ (0.9), β₂ (0.999) and
  /// β₃ (0.9999) in [0, 1), the slow average's weight α ≥ 0 (5), the guard
  /// ε > 0 (1e-8) and the decoupled weight decay λ ≥ 0 (0).
  public var learningRate, beta1, beta2, beta3, alpha, epsilon, weightDecay: Double
  /// The length T > 0 of the α and β₃ warm-ups, or `nil` for none (the default).
  public var warmupSteps: Double?

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, beta3: Double = 0.9999,
    alpha: Double = 5, epsilon: Double = 1e-8, weightDecay: Double = 0, warmupSteps: Double? = nil
  ) {
    (self.learningRate, self.beta1, self.beta2, self.beta3, self.alpha) = (learningRate, beta1, beta2, beta3, alpha)
    (self.epsilon, self.weightDecay, self.warmupSteps) = (epsilon, weightDecay, warmupSteps)
    requireValidHyperparameters()
  }

  /// η, α, λ ≥ 0; β₁, β₂, β₃ ∈ [0, 1); ε > 0; T > 0 or `nil`.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.unitInterval(beta3, "beta3"); h.nonNegative(alpha, "alpha"); h.positive(epsilon, "epsilon")
    h.nonNegative(weightDecay, "weightDecay"); h.positive(warmupSteps, "warmupSteps")
  }

  /// The fast average *m*, the slow average *s* and the second moment *v*, all starting at zero.
  public static var bufferNames: [StaticString] { ["firstMoment", "slowMoment", "secondMoment"] }
  /// The step count and the buffers above (``NamedBufferState``).
  public typealias State = NamedBufferState<Params, AdEMAMix>

  /// αₜ and β₃ₜ at step t.
  @inlinable public func warmedUp(step t: Int) -> (alpha: Double, beta3: Double) {
    guard let warmup = warmupSteps else { return (alpha, beta3) }
    let s = Double(t) / warmup, log1 = Double.log(beta1), log3 = Double.log(beta3)
    return (Swift.min(Double(t) * alpha / warmup, alpha), Swift.min(Double.exp(log1 * log3 / ((1 - s) * log3 + s * log1)), beta3))
  }

  /// One fused pass over p, g, m, s and v.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let (alphaT, beta3T) = warmedUp(step: t)
    let correction1 = Scalar(1 - power(beta1, Double(t))), root2 = Scalar(Double.squareRoot(of: 1 - power(beta2, Double(t))))
    let mix1 = Scalar(1 - beta1), mix3 = Scalar(1 - beta3T), keep2 = Scalar(beta2), mix2 = Scalar(1 - beta2)
    let slowWeight = Scalar(alphaT), rate = Scalar(learningRate), eps = Scalar(epsilon), decay = Scalar(weightDecay)
    walk { b in
      let (m, s, v) = (b[0], b[1], b[2])
      for i in b.indices {
        let g = b.gradient(i)
        let mi = Elementwise.lerp(m[i], g, mix1), si = Elementwise.lerp(s[i], g, mix3), vi = keep2 * v[i] + mix2 * g * g
        (m[i], s[i], v[i]) = (mi, si, vi)
        b.p[i] -= rate * ((mi / correction1 + slowWeight * si) / (Scalar.squareRoot(of: vi) / root2 + eps) + decay * b.p[i])
      }
    }
  }
}
