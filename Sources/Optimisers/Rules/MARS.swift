/// MARS: Adam (or Lion) on a variance-reduced, clipped gradient estimate.
///
/// On the leaves MARS optimises (matrices, or every leaf when
/// ``optimiseAllLeaves``), with g the gradient, g_prev the previous step's
/// gradient (0 before the first step), t counted from 1 and every βᵗ
/// correction computed in double precision:
///
///     c = g + γ β₁/(1 − β₁) (g − g_prev)
///     c ← c / ‖c‖   if ‖c‖ > 1            (‖·‖ the leaf's Frobenius norm)
///     m ← β₁m + (1 − β₁)c
///     v ← β₂v + (1 − β₂)c²                (`.adamW` only)
///     u = m / d                            (`.adamW`)   or   u = sign(m)   (`.lion`)
///     u = NS₅(m / (1 − β₁)) · √max(1, n₀/n₁)  (`.shampoo`, leaves of rank ≥ 2; v is not kept)
///     p ← p − η(u + λp)
///
/// Every other leaf runs AdamW on g itself with its own η₁, β's and λ₁ (the
/// `adamW…` properties): c = g, no clip, and u = m / d.
///
/// The two references differ only in where ε and the bias corrections go in
/// the denominator d (and, in rounding, in how λp is applied):
///
/// - ``Variant/pytorchOptimizer`` (the default): d = (√(v + 10⁻¹⁵) + ε)
///   (1 − β₁ᵗ) / √(1 − β₂ᵗ), matrices are leaves of rank ≥ 2, and the shrink
///   p ← p(1 − ηλ) comes first: `pytorch_optimizer.MARS(params, lr=η,
///   betas=(β₁, β₂), gamma=γ, mars_type="adamw" | "lion", optimize_1d=,
///   lr_1d=η₁, betas_1d=, weight_decay=λ, weight_decay_1d=λ₁, eps=ε)`.
/// - ``Variant/authors``: d = (√v / √(1 − β₂ᵗ) + ε)(1 − β₁ᵗ), matrices are
///   leaves of rank exactly 2, and p ← p − η(λp + u): the authors' `MARS(params,
///   lr, betas, eps, weight_decay, gamma, is_approx=True, mars_type="mars-adamw"
///   | "mars-lion", optimize_1d, lr_1d, betas_1d, weight_decay_1d)`
///   (github.com/AGI-Arena/MARS).
///
/// Both use the gradient of the previous step for g_prev (the paper's
/// "MARS-approx"; exact MARS needs the previous point's gradient on the current
/// batch, a second gradient evaluation per step). Both store the second
/// moment for `.lion` and `.shampoo` too (it stays zero where unused).
///
/// ``Form/shampoo`` is `pytorch_optimizer.MARS(…, mars_type="shampoo")` (the
/// pytorch-optimizer variant only): on a MARS leaf of rank ≥ 2 with shape
/// n₀ × n₁ × …, m/(1 − β₁) viewed as an n₀ × (n₁·…) matrix is orthogonalised
/// by five quintic Newton–Schulz steps with Muon's coefficients (3.4445,
/// −4.7750, 2.0315) after dividing by max(‖·‖_F, ε), then scaled by
/// √max(1, n₀/n₁); MARS leaves of lower rank (with ``optimiseAllLeaves``) take
/// the `.adamW` form. pytorch-optimizer runs the iteration in bfloat16; this
/// rule runs it in the parameters' scalar type (the fixtures patch the
/// reference the same way).
///
/// State: the step count, *m*, *v* and g_prev. Memory: three buffers per
/// parameter.
///
/// - Complexity: O(*n*) per step: a read-only pass for each optimised leaf's
///   ‖c‖, then one fused elementwise pass.
/// - References: Yuan, Liu, Wu, Zhou and Gu, *MARS: Unleashing the Power of
///   Variance Reduction for Training Large Models*, ICML 2025 (arXiv 2024).
public struct MARS<Params: Differentiable>: DirectionExposingRule, BufferNaming {
  /// The preconditioner applied to the clipped estimate on MARS leaves.
  public enum Form: String, Codable, Sendable, Hashable {
    /// Adam's m / d (`mars_type="adamw"`).
    case adamW
    /// Lion's sign(m) (`mars_type="lion"`).
    case lion
    /// m orthogonalised by Newton–Schulz on leaves of rank ≥ 2
    /// (`mars_type="shampoo"`; ``Variant/pytorchOptimizer`` only).
    case shampoo
  }

  /// Which reference's denominator and leaf test to follow.
  public enum Variant: String, Codable, Sendable, Hashable {
    /// `pytorch_optimizer.MARS`.
    case pytorchOptimizer = "pytorch-optimizer"
    /// The authors' `MARS` (AGI-Arena/MARS).
    case authors
  }

  /// The learning rate η ≥ 0 (0.003), the decays β₁ (0.95) and β₂ (0.99) in
  /// [0, 1), the correction strength γ ≥ 0 (0.025), the guard ε > 0 (1e-8) and
  /// the decoupled weight decay λ ≥ 0 (0) of the MARS leaves.
  public var learningRate, beta1, beta2, gamma, epsilon, weightDecay: Double
  /// The other leaves' AdamW: η₁ ≥ 0 (0.003), β₁ (0.9), β₂ (0.95) in [0, 1),
  /// λ₁ ≥ 0 (0.1).
  public var adamWLearningRate, adamWBeta1, adamWBeta2, adamWWeightDecay: Double
  /// Whether every leaf, vectors and scalars included, gets MARS (`optimize_1d`; false).
  public var optimiseAllLeaves: Bool
  /// The preconditioner of MARS leaves (``Form/adamW``).
  public var form: Form
  /// The reference followed (``Variant/pytorchOptimizer``).
  public var variant: Variant

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double = 0.003, beta1: Double = 0.95, beta2: Double = 0.99, gamma: Double = 0.025,
    epsilon: Double = 1e-8, weightDecay: Double = 0, adamWLearningRate: Double = 0.003, adamWBeta1: Double = 0.9,
    adamWBeta2: Double = 0.95, adamWWeightDecay: Double = 0.1, optimiseAllLeaves: Bool = false,
    form: Form = .adamW, variant: Variant = .pytorchOptimizer
  ) {
    (self.learningRate, self.beta1, self.beta2, self.gamma) = (learningRate, beta1, beta2, gamma)
    (self.epsilon, self.weightDecay) = (epsilon, weightDecay)
    (self.adamWLearningRate, self.adamWBeta1, self.adamWBeta2) = (adamWLearningRate, adamWBeta1, adamWBeta2)
    (self.adamWWeightDecay, self.optimiseAllLeaves, self.form, self.variant) =
      (adamWWeightDecay, optimiseAllLeaves, form, variant)
    requireValidHyperparameters()
  }

  /// η, η₁, γ, λ, λ₁ ≥ 0; every β in [0, 1); ε > 0; `.shampoo` only with
  /// the pytorch-optimizer variant.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.nonNegative(gamma, "gamma"); h.positive(epsilon, "epsilon"); h.nonNegative(weightDecay, "weightDecay")
    h.nonNegative(adamWLearningRate, "adamWLearningRate"); h.unitInterval(adamWBeta1, "adamWBeta1")
    h.unitInterval(adamWBeta2, "adamWBeta2"); h.nonNegative(adamWWeightDecay, "adamWWeightDecay")
    h.require(
      form != .shampoo || variant == .pytorchOptimizer, "form", 0, "shampoo only with the pytorch-optimizer variant")
  }

  /// The moving average *m* of the clipped estimate (of g on AdamW leaves), the
  /// moving average *v* of its square and the previous gradient, all zero
  /// before the first step.
  public static var bufferNames: [StaticString] { ["firstMoment", "secondMoment", "previousGradient"] }
  /// The step count and the buffers above (``NamedBufferState``).
  public typealias State = NamedBufferState<Params, MARS>

  /// Whether a leaf of this shape gets MARS rather than AdamW.
  @inlinable func isMARSLeaf(_ shape: [Int]) -> Bool {
    optimiseAllLeaves || (variant == .authors ? shape.count == 2 : shape.count >= 2)
  }

  /// The norms of the MARS leaves' estimates, then one fused elementwise pass
  /// (and the `.shampoo` pass). After the decay (p ← p(1 − ηλ), pytorch-optimizer)
  /// the direction is u at rate η; the authors' form hands λp + u.
  @inlinable public func step<Map: GradientMap, Sink: DirectionSink>(
    _ t: Int, _ walk: Walk<Params, State, Map>, handing sink: Sink
  ) where Sink.Scalar == Scalar {
    let mars = (0..<walk.leafCount).map { isMARSLeaf(walk.shape(ofLeaf: $0)) }
    let torchForm = variant == .pytorchOptimizer
    let k = Scalar(torchForm ? gamma * beta1 / (1 - beta1) : gamma * (beta1 / (1 - beta1)))
    var divisors = [Scalar](repeating: 1, count: walk.leafCount)
    walk.wholeLeaves { b in
      guard mars[b.leaf] else { return }
      let previous = b[2]
      var squares: Scalar = 0
      for i in b.indices { let g = b.gradient(i), c = (g - previous[i]) * k + g; squares += c * c }
      let norm = Scalar.squareRoot(of: squares)
      divisors[b.leaf] = norm > 1 ? norm : 1
    }
    let onMARS = MARSCoefficients<Scalar>(
      t, rate: learningRate, beta1: beta1, beta2: beta2, weightDecay: weightDecay, epsilon: epsilon)
    let onAdamW = MARSCoefficients<Scalar>(
      t, rate: adamWLearningRate, beta1: adamWBeta1, beta2: adamWBeta2, weightDecay: adamWWeightDecay,
      epsilon: epsilon)
    let sign = form == .lion, clip = divisors
    let orthogonal = (0..<walk.leafCount).map { form == .shampoo && mars[$0] && walk.shape(ofLeaf: $0).count >= 2 }
    walk { b in
      let isMARS = mars[b.leaf], divisor = clip[b.leaf], q = isMARS ? onMARS : onAdamW, (m, v, previous) = (b[0], b[1], b[2])
      let deferred = orthogonal[b.leaf]
      for i in b.indices {
        let g = b.gradient(i)
        let c = isMARS ? ((g - previous[i]) * k + g) / divisor : g
        previous[i] = g
        let u: Scalar
        if torchForm {
          m[i] = Elementwise.lerp(m[i], c, q.mix1)
          if deferred { continue }  // orthogonalised below, once the whole leaf's m is known
          if isMARS && sign { u = Elementwise.sign(m[i]) } else {
            v[i] = v[i] * q.keep2 + q.mix2 * c * c
            u = m[i] / ((Scalar.squareRoot(of: v[i] + 1e-15) + q.eps) / q.root2 * q.correction1)
          }
          b.p[i] *= q.shrink
          sink.take(u, rate: -q.negativeRate, at: i, of: b)
        } else {
          m[i] = m[i] * q.keep1 + q.mix1 * c
          if isMARS && sign { u = Elementwise.sign(m[i]) } else {
            v[i] = v[i] * q.keep2 + q.mix2 * c * c
            u = m[i] / ((Scalar.squareRoot(of: v[i]) * q.inverseRoot2 + q.eps) * q.correction1)
          }
          sink.take(b.p[i] * q.decay + u, rate: -q.negativeRate, at: i, of: b)
        }
      }
    }
    if orthogonal.contains(true) { orthogonalisedSteps(walk, on: orthogonal, onMARS, handing: sink) }
  }
}
