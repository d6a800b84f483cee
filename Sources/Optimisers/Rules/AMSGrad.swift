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
/// `torch.optim.Adam(params, lr=η, betas=(β₁, β₂), eps=ε, amsgrad=True)`;
/// `.optax` reproduces `optax.amsgrad(η, b1, b2, eps, eps_root=0)`. The defaults
/// are shared by both.
///
/// State: the step count, *m*, *v* and v̂. Memory: three buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Reddi, Kale and Kumar, *On the Convergence of Adam and Beyond*,
///   ICLR 2018.
public struct AMSGrad<Params: Differentiable>: KernelRule {
  /// Which moment the running maximum is taken of.
  ///
  /// - Complexity: O(1).
  public enum Variant: String, Codable, Sendable, Hashable {
    /// `torch.optim.Adam(amsgrad=True)`: the maximum of the raw v, corrected when read.
    case pytorch
    /// `optax.amsgrad`: the maximum of the bias-corrected v.
    case optax
  }

  /// The learning rate η ≥ 0.
  public var learningRate: Double
  /// The first-moment decay β₁ ∈ [0, 1).
  public var beta1: Double
  /// The second-moment decay β₂ ∈ [0, 1).
  public var beta2: Double
  /// The denominator's guard ε > 0, outside the square root.
  public var epsilon: Double
  /// Which reference's form of the maximum.
  public var variant: Variant

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    variant: Variant = .pytorch
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon, self.variant) = (learningRate, beta1, beta2, epsilon, variant)
    requireValidHyperparameters()
  }

  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.positive(epsilon, "epsilon")
  }

  /// The step count, *m*, *v* and the running maximum of *v*.
  public struct State: ZeroStartingState, Equatable {
    var rule = RuleTag<AMSGrad>()
    /// The number of updates applied so far.
    public var step: Int
    /// *m*.
    public var firstMoment: Params.TangentVector
    /// *v*.
    public var secondMoment: Params.TangentVector
    /// The running maximum of *v* (of v / (1 − β₂ᵗ) in the optax variant).
    public var maximumSecondMoment: Params.TangentVector

    /// A state from its parts.
    @inlinable
    public init(
      step: Int, firstMoment: Params.TangentVector, secondMoment: Params.TangentVector,
      maximumSecondMoment: Params.TangentVector
    ) {
      (self.step, self.firstMoment, self.secondMoment) = (step, firstMoment, secondMoment)
      self.maximumSecondMoment = maximumSecondMoment
    }

    /// Step 0, every buffer zero.
    @inlinable public init(zerosLike params: Params) {
      let zero = params.zeroTangentVector
      self.init(step: 0, firstMoment: zero, secondMoment: zero, maximumSecondMoment: zero)
    }

    /// *m*, *v*, max *v*.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&firstMoment, "firstMoment")
      visitor.visit(&secondMoment, "secondMoment")
      visitor.visit(&maximumSecondMoment, "maximumSecondMoment")
    }
  }

  /// One step, fused over p, g, m, v and max v.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let correction1 = 1 - power(beta1, Double(t)), correction2 = 1 - power(beta2, Double(t))
    let mix1 = S(1 - beta1), keep2 = S(beta2), mix2 = S(1 - beta2), eps = S(epsilon)
    let torchForm = variant == .pytorch
    let stepSize = S(learningRate / correction1), correction2Root = S(Double.squareRoot(of: correction2))
    let rate = S(learningRate), c1 = S(correction1), c2 = S(correction2)
    walk { b in
      let (m, v, vmax) = (b[0], b[1], b[2])
      for i in b.indices {
        let g = b.gradient(i), mi = m[i] + mix1 * (g - m[i]), vi = keep2 * v[i] + mix2 * g * g
        (m[i], v[i]) = (mi, vi)
        if torchForm {
          let top = Elementwise.maximum(vmax[i], vi)
          vmax[i] = top
          b.p[i] -= stepSize * (mi / (S.squareRoot(of: top) / correction2Root + eps))
        } else {
          let top = Elementwise.maximum(vmax[i], vi / c2)
          vmax[i] = top
          b.p[i] -= rate * ((mi / c1) / (S.squareRoot(of: top) + eps))
        }
      }
    }
  }
}
