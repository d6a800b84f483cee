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
///     p ← p − η r m̂ √(1 − β₂ᵗ) / (√v + ε)      (.pytorch: ε before the correction)
///     p ← p − η r m̂ / (√(v / (1 − β₂ᵗ)) + ε)   (.optax: ε after the correction)
///
/// and otherwise p ← p − η m̂. ``Variant/pytorch`` (the default) rectifies when
/// ρₜ > threshold and reproduces `torch.optim.RAdam(params, lr=η, betas=(β₁, β₂),
/// eps=ε)` (whose threshold is fixed at 5); ``Variant/optax`` rectifies when
/// ρₜ ≥ threshold and reproduces `optax.radam(η, b1, b2, eps, eps_root=0,
/// threshold=)`. (Optimisers.jl uses ρₜ > 4.) The defaults follow both.
///
/// State: the step count, *m* and *v*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Liu et al., *On the Variance of the Adaptive Learning Rate and
///   Beyond*, ICLR 2020.
public struct RAdam<Params: Differentiable>: KernelRule {
  /// Which reference's threshold test and ε placement to use.
  ///
  /// - Complexity: O(1).
  public enum Variant: String, Codable, Sendable, Hashable {
    /// Rectify when ρₜ > threshold; ε added to √v: `torch.optim.RAdam`.
    case pytorch
    /// Rectify when ρₜ ≥ threshold; ε added to √v̂: `optax.radam`.
    case optax
  }

  /// The learning rate η; default 0.001.
  public var learningRate: Double
  /// The first-moment decay β₁ ∈ [0, 1); default 0.9.
  public var beta1: Double
  /// The second-moment decay β₂ ∈ [0, 1); default 0.999.
  public var beta2: Double
  /// The denominator's guard ε > 0; default 1e-8.
  public var epsilon: Double
  /// The rectification threshold on ρₜ, ≥ 4 (below 4, *r* is undefined);
  /// default 5.
  public var threshold: Double
  /// Which reference to follow; default ``Variant/pytorch``.
  public var variant: Variant

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.001.
  ///   - beta1: β₁ ∈ [0, 1); default 0.9.
  ///   - beta2: β₂ ∈ [0, 1); default 0.999.
  ///   - epsilon: ε > 0; default 1e-8.
  ///   - threshold: ≥ 4; default 5.
  ///   - variant: Default `.pytorch`.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    threshold: Double = 5, variant: Variant = .pytorch
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.threshold = threshold
    self.variant = variant
    requireValidHyperparameters()
  }

  /// The step count and the two moment estimates (see ``MomentEstimates``).
  public typealias State = MomentEstimates<Params, RAdam>

  /// Step 0 and zero moments.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    State(zerosLike: params)
  }

  /// One step, fused over the parameters, the gradient and the state's buffers.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let t = Double(t)
    let beta2Power = power(beta2, t)
    let correction1 = 1 - power(beta1, t), correction2 = 1 - beta2Power
    let rhoInfinity = 2 / (1 - beta2) - 1
    let rho = rhoInfinity - 2 * t * beta2Power / correction2
    let rectify = variant == .pytorch ? rho > threshold : rho >= threshold
    let r = rectify
      ? ((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho)).squareRoot() : 0
    let torchForm = variant == .pytorch
    let rate = S(learningRate), rectification = S(r), c1 = S(correction1), c2 = S(correction2)
    let c2Root = S(Double.squareRoot(of: correction2))
    let mix1 = S(1 - beta1), keep2 = S(beta2), mix2 = S(1 - beta2), eps = S(epsilon)
    walk { b in
      let (p, m, v) = (b.p, b[0], b[1])
      for i in b.indices {
        let gi = b.gradient(i)
        let mi = m[i] + mix1 * (gi - m[i])
        let vi = keep2 * v[i] + mix2 * gi * gi
        m[i] = mi
        v[i] = vi
        let corrected = mi / c1
        if !rectify {
          p[i] -= corrected * rate
        } else if torchForm {
          p[i] -= corrected * rate * (c2Root / (S.squareRoot(of: vi) + eps)) * rectification
        } else {
          p[i] -= rate * (rectification * corrected / (S.squareRoot(of: vi / c2) + eps))
        }
      }
    }
  }

  /// Declares each hyperparameter's range.
  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.positive(epsilon, "epsilon")
    h.declare(threshold, "threshold", HyperparameterRange(4, .infinity))
  }
}
