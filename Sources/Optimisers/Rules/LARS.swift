/// LARS: momentum SGD whose step for each leaf is rescaled by the layer-wise
/// trust ratio ‖p‖ / ‖g‖.
///
/// With g′ = map(g), λ the weight decay, c the trust coefficient and, for every
/// leaf separately:
///
///     d = g′ + λ p
///     r = c ‖p‖ / (‖d‖ + ε)    (r = 1 when ‖p‖ or ‖d‖ is 0)
///     b ← η r d + μ b
///     p ← p − b                (p ← p − (η r d + μ b) with Nesterov)
///
/// The learning rate multiplies the step before the momentum trace, so a
/// changing η affects only new contributions. This reproduces
/// `optax.lars(η, weight_decay=λ, trust_coefficient=c, eps=ε, momentum=μ,
/// nesterov=)` with both masks `True` (optax keeps −b); the defaults follow optax
/// (c = 0.001, ε = 0, μ = 0.9). optax has no default rate: η = 1 here, so a
/// step is about c = 0.1 % of ‖p‖.
///
/// The norms need a reduction before the update, so each leaf is walked twice:
/// a first pass sums ‖p‖² and ‖d‖², a second pass updates *b* and *p*.
///
/// State: the step count and *b*. Memory: one buffer per parameter.
///
/// - Complexity: O(*n*) per step, two passes per leaf.
/// - References: You, Gitman and Ginsburg, *Large Batch Training of
///   Convolutional Networks*, 2017.
public struct LARS<Params: Differentiable>: KernelRule {
  /// The learning rate η ≥ 0.
  public var learningRate: Double
  /// The weight decay λ ≥ 0, added to the gradient before the trust ratio.
  public var weightDecay: Double
  /// The trust coefficient > 0 scaling ‖p‖ / ‖g + λp‖.
  public var trustCoefficient: Double
  /// The guard ε ≥ 0 added to the direction's norm.
  public var epsilon: Double
  /// The momentum μ ∈ [0, 1).
  public var momentum: Double
  /// Whether to take Nesterov's look-ahead step.
  public var nesterov: Bool

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double = 1, weightDecay: Double = 0, trustCoefficient: Double = 0.001, epsilon: Double = 0,
    momentum: Double = 0.9, nesterov: Bool = false
  ) {
    (self.learningRate, self.weightDecay, self.trustCoefficient) = (learningRate, weightDecay, trustCoefficient)
    (self.epsilon, self.momentum, self.nesterov) = (epsilon, momentum, nesterov)
    requireValidHyperparameters()
  }

  /// `optax.lars(η)`'s defaults, with the rate that optax requires spelled
  /// out: λ = 0, c = 0.001, ε = 0, μ = 0.9, no Nesterov (the initialiser's
  /// η = 1 is this package's own choice).
  @inlinable public static func optax(learningRate: Double) -> LARS { LARS(learningRate: learningRate) }

  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.nonNegative(weightDecay, "weightDecay")
    h.positive(trustCoefficient, "trustCoefficient")
    h.nonNegative(epsilon, "epsilon"); h.unitInterval(momentum, "momentum")
  }

  /// The step count and the momentum buffer.
  public typealias State = VelocityState<Params, LARS>

  /// One step: per leaf, the trust ratio from the norms, then momentum.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let rate = S(learningRate), decay = S(weightDecay), coefficient = S(trustCoefficient), eps = S(epsilon)
    let mu = S(momentum), useNesterov = nesterov
    walk.wholeLeaves { b in
      let (p, velocity) = (b.p, b[0])
      var parameterSquares: S = 0, directionSquares: S = 0
      for i in b.indices {
        let d = b.gradient(i) + decay * p[i]
        directionSquares += d * d
        parameterSquares += p[i] * p[i]
      }
      let parameterNorm = S.squareRoot(of: parameterSquares), directionNorm = S.squareRoot(of: directionSquares)
      let ratio = parameterNorm == 0 || directionNorm == 0 ? 1 : coefficient * parameterNorm / (directionNorm + eps)
      for i in b.indices {
        let scaled = (b.gradient(i) + decay * p[i]) * ratio * rate
        velocity[i] = scaled + mu * velocity[i]
        p[i] -= useNesterov ? scaled + mu * velocity[i] : velocity[i]
      }
    }
  }
}
