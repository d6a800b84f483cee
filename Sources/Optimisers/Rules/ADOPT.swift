/// ADOPT: Adam with the gradient normalised by the *previous* second moment,
/// before the momentum, with a growing clip.
///
/// With t counted from 1, on step 1 only v ← g² (the parameters stay). From
/// step 2:
///
///     ĝ = clip(g / max(√v, ε), −cₜ, cₜ)        cₜ = (t − 1)^e (.optax) or t^e (.pytorchOptimizer)
///     m ← m + (1 − β₁)(ĝ − m)                  (= β₁m + (1 − β₁)ĝ)
///     p ← p − η·m                              (Nesterov: p ← p − η(β₁m + (1 − β₁)ĝ))
///     v ← β₂v + (1 − β₂)g²
///
/// ε guards the root from below (a maximum, not a sum); no bias correction.
/// `clipExponent` e = `nil` turns the clip off. The references differ only in
/// the clip's step index: `optax.contrib.adopt(learning_rate, b1, b2, eps,
/// nesterov, use_clipping)` (`.optax`, its `clip_value_fn` reads the count
/// before the step) and `pytorch_optimizer.ADOPT(params, lr, betas=(β₁, β₂),
/// eps)` (`.pytorchOptimizer`, `clip_lambda` reads the step number; it has no
/// Nesterov form). ADOPT's authors' code uses t^e, as `.pytorchOptimizer`.
///
/// State: the step count, *m* and *v*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Taniguchi, Harada, Minegishi, Oshima, Jeong, Nagahara, Iiyama,
///   Suzuki, Iwasawa and Matsuo, *ADOPT: Modified Adam Can Converge with Any
///   β₂ with the Optimal Rate*, NeurIPS 2024.
public struct ADOPT<Params: Differentiable>: DirectionExposingRule {
  /// Where the references differ: the step index of the clip.
  public enum Variant: String, Codable, Sendable, Hashable {
    /// `optax.contrib.adopt`: cₜ = (t − 1)^e.
    case optax
    /// `pytorch_optimizer.ADOPT` and the authors' code: cₜ = t^e.
    case pytorchOptimizer = "pytorch-optimizer"
  }

  /// The learning rate η ≥ 0 (0.001), the decays β₁ ∈ [0, 1] (0.9) and
  /// β₂ ∈ [0, 1) (0.9999), and the floor ε > 0 of √v (1e-6).
  public var learningRate, beta1, beta2, epsilon: Double
  /// The clip's exponent e > 0 (0.25), or `nil` for no clip.
  public var clipExponent: Double?
  /// Whether the step uses the Nesterov form of the momentum (false; optax only).
  public var nesterov: Bool
  /// The reference followed for the clip's step index.
  public var variant: Variant

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.9999, epsilon: Double = 1e-6,
    clipExponent: Double? = 0.25, nesterov: Bool = false, variant: Variant = .optax
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
    (self.clipExponent, self.nesterov, self.variant) = (clipExponent, nesterov, variant)
    requireValidHyperparameters()
  }

  /// η ≥ 0, β₁ ∈ [0, 1], β₂ ∈ [0, 1), ε > 0, e > 0 or `nil`.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.closedUnitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.positive(epsilon, "epsilon"); h.positive(clipExponent, "clipExponent")
  }

  /// The step count, *m* and *v* (see ``MomentEstimates``).
  public typealias State = MomentEstimates<Params, ADOPT>

  /// One fused pass over p, g, m and v; the direction is m (or its Nesterov
  /// form) at rate η (none on step 1).
  @inlinable public func step<Map: GradientMap, Sink: DirectionSink>(
    _ t: Int, _ walk: Walk<Params, State, Map>, handing sink: Sink
  ) where Sink.Scalar == Scalar {
    let keep2 = Scalar(beta2), mix2 = Scalar(1 - beta2)
    guard t > 1 else {
      walk { b in
        let v = b[1]
        for i in b.indices { let g = b.gradient(i); v[i] = g * g }
      }
      return
    }
    let clip = clipExponent.map { Scalar(power(Double(variant == .optax ? t - 1 : t), $0)) } ?? .infinity
    let rate = Scalar(learningRate), keep1 = Scalar(beta1), mix1 = Scalar(1 - beta1), eps = Scalar(epsilon)
    let nesterov = self.nesterov
    walk { b in
      let (m, v) = (b[0], b[1])
      for i in b.indices {
        let g = b.gradient(i)
        let q = g / Elementwise.maximum(Scalar.squareRoot(of: v[i]), eps)
        let normalised = q > clip ? clip : (q < -clip ? -clip : q)  // NaN passes, as torch.clamp
        let mi = m[i] + mix1 * (normalised - m[i])
        m[i] = mi
        sink.take(nesterov ? keep1 * mi + mix1 * normalised : mi, rate: rate, at: i, of: b)
        v[i] = keep2 * v[i] + mix2 * g * g
      }
    }
  }
}
