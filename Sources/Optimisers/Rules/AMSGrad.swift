/// AMSGrad: Adam whose denominator uses the running maximum of the second
/// moment, so the effective step size never grows.
///
/// With g′ = map(g) and t the step number counted from 1:
///
///     m ← m + (1 − β₁)(g′ − m);   v ← β₂ v + (1 − β₂) g′²
///
/// ``Variant/pytorch`` (the default) keeps the maximum of the raw *v*:
///
///     v̂ ← max(v̂, v);   p ← p − (η / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
///
/// ``Variant/optax`` keeps the maximum of the bias-corrected *v*:
///
///     v̂ ← max(v̂, v / (1 − β₂ᵗ));   p ← p − η · (m / (1 − β₁ᵗ)) / (√v̂ + ε)
///
/// The two differ whenever v / (1 − β₂ᵗ) falls while *v* rises. ε is outside the
/// square root in both. `.pytorch` reproduces
/// `torch.optim.Adam(params, lr=η, betas=(β₁, β₂), eps=ε, amsgrad=True,
/// weight_decay=λ)` (λ is coupled: λp joins the gradient first);
/// `.optax` reproduces `optax.amsgrad(η, b1, b2, eps, eps_root)`. optax's
/// ε_root goes inside the square root, √(v̂ + ε_root) + ε (`.pytorch` corrects
/// first: √(v̂ / (1 − β₂ᵗ) + ε_root) + ε when ε_root > 0). The defaults are
/// shared by both.
///
/// State: the step count, *m*, *v* and v̂. Memory: three buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Reddi, Kale and Kumar, *On the Convergence of Adam and Beyond*,
///   ICLR 2018.
public struct AMSGrad<Params: Differentiable>: KernelRule, CheckpointDescribable {
  /// Which moment the running maximum is taken of.
  ///
  /// - Complexity: O(1).
  public enum Variant: String, Codable, Sendable, Hashable {
    /// `torch.optim.Adam(amsgrad=True)`: the maximum of the raw v, corrected when read.
    case pytorch
    /// `optax.amsgrad`: the maximum of the bias-corrected v.
    case optax
  }

  /// The learning rate η ≥ 0 (0.001), the moment decays β₁, β₂ ∈ [0, 1) (0.9 and
  /// 0.999), the guard ε ≥ 0 (> 0 when ε_root = 0) outside the square root (1e-8), optax's guard
  /// ε_root ≥ 0 inside it (0) and torch's coupled weight decay λ ≥ 0 (0).
  public var learningRate, beta1, beta2, epsilon, epsilonRoot, weightDecay: Double
  /// Which moment the running maximum is taken of (``Variant/pytorch``).
  public var variant: Variant

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    variant: Variant = .pytorch, epsilonRoot: Double = 0, weightDecay: Double = 0
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon, self.variant) = (learningRate, beta1, beta2, epsilon, variant)
    (self.epsilonRoot, self.weightDecay) = (epsilonRoot, weightDecay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, β₁, β₂ ∈ [0, 1), ε, ε_root ≥ 0 not both 0, λ ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.adaptiveMoments(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, epsilonRoot: epsilonRoot, rootIsAddedOption: true)
    h.option(weightDecay, "weightDecay")
  }

  /// The step count, *m*, *v* and the running maximum v̂.
  public struct State: ZeroStartingState, Equatable {
    var rule = RuleTag<AMSGrad>()
    /// The number of updates applied so far.
    public var step: Int
    /// *m*, *v* and v̂, shaped like the parameters.
    public var firstMoment, secondMoment, maximumSecondMoment: Params.TangentVector

    /// A state from its parts.
    @inlinable public init(
      step: Int, firstMoment: Params.TangentVector, secondMoment: Params.TangentVector,
      maximumSecondMoment: Params.TangentVector
    ) {
      (self.step, self.firstMoment, self.secondMoment) = (step, firstMoment, secondMoment)
      self.maximumSecondMoment = maximumSecondMoment
    }

    /// Step 0 and zero buffers.
    @inlinable public init(zerosLike params: Params) {
      let zero = params.zeroTangentVector
      self.init(step: 0, firstMoment: zero, secondMoment: zero, maximumSecondMoment: zero)
    }

    /// *m*, *v*, v̂.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&firstMoment, "firstMoment")
      visitor.visit(&secondMoment, "secondMoment")
      visitor.visit(&maximumSecondMoment, "maximumSecondMoment")
    }
  }

  /// One step, fused over p, g, m, v and v̂.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let correction1 = 1 - power(beta1, Double(t))
    let a = AdamArithmetic<Scalar>(beta1: beta1, beta2: beta2, epsilon: epsilon, epsilonRoot: epsilonRoot, step: t)
    let torchForm = variant == .pytorch, l2 = Scalar(weightDecay)
    let stepSize = Scalar(learningRate / correction1), rate = Scalar(learningRate), c1 = Scalar(correction1)
    walk { b in
      let vmax = b[2]
      b.forEachGradient(weightDecay: l2) { i, g in
        let (mi, vi) = a.moments(g, &b[0][i], &b[1][i])
        if torchForm {
          let top = Elementwise.maximum(vmax[i], vi)
          vmax[i] = top
          b.p[i] -= stepSize * (mi / a.denominator(top))
        } else {
          let top = Elementwise.maximum(vmax[i], vi / a.correction2)
          vmax[i] = top
          b.p[i] -= rate * ((mi / c1) / (Scalar.squareRoot(of: top + a.epsilonRoot) + a.epsilon))
        }
      }
    }
  }
}
