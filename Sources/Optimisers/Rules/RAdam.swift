/// RAdam: Adam with the variance of the adaptive step rectified, falling back
/// to bias-corrected momentum SGD while the variance estimate is unreliable.
///
/// With g′ = map(g), t the step number counted from 1 and both moments
/// starting at zero:
///
///     m ← m + (1 − β₁)(g′ − m);   v ← β₂ v + (1 − β₂) g′²;   m̂ = m / (1 − β₁ᵗ)
///     ρ∞ = 2 / (1 − β₂) − 1;   ρₜ = ρ∞ − 2t β₂ᵗ / (1 − β₂ᵗ)
///     r = √((ρₜ − 4)(ρₜ − 2) ρ∞ / ((ρ∞ − 4)(ρ∞ − 2) ρₜ))
///
/// When ρₜ passes the threshold:
///
///     p ← p − η r m̂ √(1 − β₂ᵗ) / (√(v + ε_root) + ε)      (.pytorch: ε before the correction)
///     p ← p − η r m̂ / (√(v / (1 − β₂ᵗ) + ε_root) + ε)     (.optax: ε after the correction)
///
/// and otherwise p ← p − η m̂. ``Variant/pytorch`` (the default) rectifies when
/// ρₜ > threshold and reproduces `torch.optim.RAdam(params, lr=η, betas=(β₁, β₂),
/// eps=ε, weight_decay=λ)` (threshold fixed at 5, λ coupled: λp joins the
/// gradient first); ``Variant/optax`` rectifies when ρₜ ≥ threshold and
/// reproduces `optax.radam(η, b1, b2, eps, eps_root, threshold=)`. ε_root is
/// optax's (0 by default; torch has none). (Optimisers.jl uses ρₜ > 4.) The defaults follow both.
///
/// State: the step count, *m* and *v*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Liu et al., *On the Variance of the Adaptive Learning Rate and
///   Beyond*, ICLR 2020.
public struct RAdam<Params: Differentiable>: KernelRule, CheckpointDescribable {
  /// Which reference's threshold test and ε placement to use.
  ///
  /// - Complexity: O(1).
  public enum Variant: String, Codable, Sendable, Hashable {
    /// Rectify when ρₜ > threshold; ε added to √v: `torch.optim.RAdam`.
    case pytorch
    /// Rectify when ρₜ ≥ threshold; ε added to √v̂: `optax.radam`.
    case optax
  }

  /// The learning rate η ≥ 0 (0.001), the moment decays β₁, β₂ ∈ [0, 1) (0.9 and
  /// 0.999), the guard ε ≥ 0 (1e-8; > 0 when ε_root = 0), the rectification threshold on ρₜ, ≥ 4
  /// (5; below 4, *r* is undefined), optax's guard ε_root ≥ 0 inside the square
  /// root (0) and torch's coupled weight decay λ ≥ 0 (0).
  public var learningRate, beta1, beta2, epsilon, threshold, epsilonRoot, weightDecay: Double
  /// Which reference to follow (``Variant/pytorch``).
  public var variant: Variant

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    threshold: Double = 5, variant: Variant = .pytorch, epsilonRoot: Double = 0, weightDecay: Double = 0
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
    (self.threshold, self.variant, self.epsilonRoot, self.weightDecay) = (threshold, variant, epsilonRoot, weightDecay)
    requireValidHyperparameters()
  }

  /// The step count and the moments *m* and *v* (see ``MomentEstimates``).
  public typealias State = MomentEstimates<Params, RAdam>

  /// One step, fused over p, g, m and v.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let time = Double(t), beta2Power = power(beta2, time)
    let correction1 = 1 - power(beta1, time), correction2 = 1 - beta2Power
    let rhoInfinity = 2 / (1 - beta2) - 1
    let rho = rhoInfinity - 2 * time * beta2Power / correction2
    let rectify = variant == .pytorch ? rho > threshold : rho >= threshold
    let r = rectify
      ? ((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho)).squareRoot() : 0
    let a = AdamArithmetic<Scalar>(beta1: beta1, beta2: beta2, epsilon: epsilon, epsilonRoot: epsilonRoot, step: t)
    let torchForm = variant == .pytorch, l2 = Scalar(weightDecay)
    let rate = Scalar(learningRate), rectification = Scalar(r), c1 = Scalar(correction1)
    walk { b in
      b.forEachGradient(weightDecay: l2) { i, g in
        let (mi, vi) = a.moments(g, &b[0][i], &b[1][i])
        let corrected = mi / c1
        if !rectify {
          b.p[i] -= corrected * rate
        } else if torchForm {
          let d = Scalar.squareRoot(of: vi + a.epsilonRoot) + a.epsilon
          b.p[i] -= corrected * rate * (a.correction2Root / d) * rectification
        } else {
          b.p[i] -= rate * (rectification * corrected / a.correctedDenominator(vi))
        }
      }
    }
  }

  /// η ≥ 0, β₁, β₂ ∈ [0, 1), threshold ≥ 4, ε, ε_root ≥ 0 not both 0, λ ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.declare(threshold, "threshold", HyperparameterRange(4, .infinity))
    h.denominatorGuards(epsilon: epsilon, epsilonRoot: epsilonRoot, rootIsAddedOption: true); h.option(weightDecay, "weightDecay")
  }
}
