/// Muon: momentum orthogonalised by Newton–Schulz, for matrix (rank-2) leaves.
///
/// With g′ = map(g), t the step number counted from 1, μ the momentum, an
/// r × c leaf, NS the quintic Newton–Schulz iteration with coefficients
/// (a, b, c) = (3.4445, −4.7750, 2.0315) for `steps` iterations after the
/// normalisation below (on the transpose when r > c):
///
/// ``Variant/pytorch`` (the default), ε = 1e-7 by default:
///
///     m ← m + (1 − μ)(g′ − m)
///     u = g′ + μ (m − g′)          (m without Nesterov)
///     O = NS(u / max(‖u‖_F, ε))
///     p ← p · (1 − η λ)
///     p ← p − η s O,   s = √max(1, r / c)         (.original)
///                      s = ρ √max(r, c)           (.matchRMSAdamW, ρ = 0.2)
///
/// ``Variant/optax``, ε = 1e-8 by default, bias-corrected:
///
///     m ← (1 − μ) g′ + μ m
///     u = μ m / (1 − μᵗ⁺¹) + (1 − μ) g′ / (1 − μᵗ)   (m / (1 − μᵗ) without Nesterov)
///     O = NS(u / (‖u‖_F + ε))
///     p ← p − η (s O + λ p),   s = √max(1, c / r)  (.original)
///                              s = ρ √max(r, c)    (.matchRMSAdamW)
///
/// The references read a matrix's orientation differently: PyTorch stores a
/// linear layer's weight as [out, in], optax as [in, out]; both scale by
/// √(fan-out / fan-in), so the variant also chooses which ratio that is. With
/// `.pytorch` this reproduces `torch.optim.Muon(params, lr=η, weight_decay=λ,
/// momentum=μ, nesterov=, ns_coefficients=(a, b, c), eps=ε, ns_steps=,
/// adjust_lr_fn="original" | "match_rms_adamw")` with its bfloat16 cast in
/// Newton–Schulz removed (the iteration here runs in the parameters' scalar
/// type); with `.optax`, the matrix half of `optax.contrib.muon(η, ns_coeffs,
/// ns_steps, beta=μ, eps=ε, weight_decay=λ, nesterov=, consistent_rms=ρ | None)`.
/// The defaults follow PyTorch (η = 0.001, λ = 0.1; optax's λ is 0).
///
/// Every leaf must be a matrix; use ``LeafSelector/matrices`` to send the
/// others to another rule, as both references do, in one line:
///
/// ```swift
/// let optimiser = Partition<Model, _, _>(Muon(learningRate: 0.02), for: .matrices, otherwise: AdamW())
/// ```
///
/// State: the step count and the momentum *m* (``VelocityState``). Memory: one
/// buffer per parameter, plus O(r² + rc) scratch per leaf during a step.
///
/// - Complexity: O(steps · min(r, c)² · max(r, c)) per leaf: three matrix
///   products per Newton–Schulz step, blocked and threaded.
/// - References: Jordan et al., *Muon: An optimizer for hidden layers in neural
///   networks*, 2024; Liu et al., *Muon is Scalable for LLM Training*, 2025.
public struct Muon<Params: Differentiable>: KernelRule {
  /// Which reference's momentum, normalisation and orientation to follow.
  public enum Variant: String, Codable, Sendable, Hashable {
    /// `torch.optim.Muon`: exponential momentum without bias correction, ε as a
    /// floor of the norm, fan-out = rows.
    case pytorch
    /// `optax.contrib.muon`: bias-corrected momentum, ε added to the norm,
    /// fan-out = columns, weight decay added to the update.
    case optax
  }

  /// How the step is scaled by the matrix's shape.
  public enum LearningRateAdjustment: String, Codable, Sendable, Hashable {
    /// Jordan's √max(1, fan-out / fan-in) (`adjust_lr_fn="original"`; optax
    /// without `consistent_rms`).
    case original
    /// Liu et al.'s ρ √max(r, c), which makes the update's RMS about AdamW's
    /// (`adjust_lr_fn="match_rms_adamw"`, ρ = 0.2; optax's `consistent_rms=ρ`).
    case matchRMSAdamW
  }

  /// The learning rate η ≥ 0; default 0.001.
  public var learningRate: Double
  /// The momentum μ ∈ [0, 1); default 0.95.
  public var momentum: Double
  /// Whether the orthogonalised direction is the Nesterov look-ahead; default `true`.
  public var nesterov: Bool
  /// The decoupled weight decay λ ≥ 0 (multiplied by η); default 0.1.
  public var weightDecay: Double
  /// The guard ε > 0 of the normalisation, or `nil` for the variant's (1e-7
  /// PyTorch, 1e-8 optax); default `nil`.
  public var epsilon: Double?
  /// The Newton–Schulz coefficients (a, b, c); default (3.4445, −4.7750, 2.0315).
  public var coefficients: (a: Double, b: Double, c: Double)
  /// The number of Newton–Schulz iterations, 1…99; default 5.
  public var steps: Int
  /// The shape scaling; default ``LearningRateAdjustment/original``.
  public var adjustment: LearningRateAdjustment
  /// ρ > 0 of ``LearningRateAdjustment/matchRMSAdamW``; default 0.2.
  public var targetRMS: Double
  /// Which reference to follow; default ``Variant/pytorch``.
  public var variant: Variant

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double = 0.001, momentum: Double = 0.95, nesterov: Bool = true, weightDecay: Double = 0.1,
    epsilon: Double? = nil, coefficients: (a: Double, b: Double, c: Double) = (3.4445, -4.7750, 2.0315),
    steps: Int = 5, adjustment: LearningRateAdjustment = .original, targetRMS: Double = 0.2,
    variant: Variant = .pytorch
  ) {
    (self.learningRate, self.momentum, self.nesterov, self.weightDecay) = (learningRate, momentum, nesterov, weightDecay)
    (self.epsilon, self.coefficients, self.steps) = (epsilon, coefficients, steps)
    (self.adjustment, self.targetRMS, self.variant) = (adjustment, targetRMS, variant)
    requireValidHyperparameters()
  }

  /// η ≥ 0, μ ∈ [0, 1), λ ≥ 0, ε > 0 when set, a, b, c finite, 1 ≤ steps < 100, ρ > 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(momentum, "momentum")
    h.nonNegative(weightDecay, "weightDecay"); h.positive(epsilon, "epsilon")
    let finite = HyperparameterRange(-.infinity, .infinity)
    h.declare(coefficients.a, "coefficients.a", finite); h.declare(coefficients.b, "coefficients.b", finite)
    h.declare(coefficients.c, "coefficients.c", finite)
    h.require(steps >= 1 && steps < 100, "steps", Double(steps), "in 1...99")
    h.positive(targetRMS, "targetRMS")
  }

  /// The step count and the momentum.
  public typealias State = VelocityState<Params, Muon>

  /// Checks the step count, the momentum's shapes and that every leaf is a matrix.
  ///
  /// - Throws: ``OptimiserError/invalidState(_:)`` naming a leaf that is not rank 2.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    for leaf in 0..<params.parameterLeafCount where params.parameterLeafShape(at: leaf).count != 2 {
      throw .invalidState(
        "Muon needs matrix leaves; '\(params.parameterLeafName(at: leaf))' has shape \(params.parameterLeafShape(at: leaf)) (send it to another rule with Partition(_:for: .matrices, otherwise:))")
    }
    try state.validate(for: params)
  }

  /// The factor s of the orthogonalised update for an r × c leaf.
  @inlinable
  func shapeScale(rows r: Int, columns c: Int) -> Double {
    switch adjustment {
    case .original:
      let (fanOut, fanIn) = variant == .pytorch ? (r, c) : (c, r)
      return Double.squareRoot(of: Swift.max(1, Double(fanOut) / Double(fanIn)))
    case .matchRMSAdamW: return targetRMS * Double.squareRoot(of: Double(Swift.max(r, c)))
    }
  }

  /// One step, leaf by leaf: momentum, Newton–Schulz, update.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let torch = variant == .pytorch
    let mu = Scalar(momentum), mix = Scalar(1 - momentum)
    let correction = Scalar(1 - power(momentum, Double(t))), correctionNext = Scalar(1 - power(momentum, Double(t + 1)))
    let eps = epsilon ?? (torch ? 1e-7 : 1e-8)
    let rate = Scalar(learningRate), decay = Scalar(weightDecay), shrink = Scalar(1 - learningRate * weightDecay)
    walk.wholeLeaves { b in
      let shape = walk.shape(ofLeaf: b.leaf)
      precondition(shape.count == 2, "Muon needs matrix leaves; leaf \(b.leaf) has shape \(shape)")
      let m = b[0], p = b.p
      let u = UnsafeMutablePointer<Scalar>.allocate(capacity: b.count)
      defer { u.deallocate() }
      for i in b.indices {
        let g = b.gradient(i)
        if torch {
          m[i] = Adafactor<Params>.lerp(m[i], g, mix)
          u[i] = nesterov ? Adafactor<Params>.lerp(g, m[i], mu) : m[i]
        } else {
          m[i] = mix * g + mu * m[i]
          u[i] = nesterov ? mu * (m[i] / correctionNext) + mix * (g / correction) : m[i] / correction
        }
      }
      NewtonSchulz.orthogonalise(
        u, rows: shape[0], columns: shape[1], coefficients: coefficients, steps: steps, epsilon: eps,
        epsilonAddedToNorm: !torch)
      let scale = shapeScale(rows: shape[0], columns: shape[1])
      if torch {
        let alpha = Scalar(-learningRate * scale)
        for i in b.indices { p[i] = p[i] * shrink + alpha * u[i] }
      } else {
        let s = Scalar(scale)
        for i in b.indices { p[i] += -rate * (s * u[i] + decay * p[i]) }
      }
    }
  }
}
