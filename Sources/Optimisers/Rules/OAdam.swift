/// OAdam: optimistic Adam, which extrapolates the Adam direction using the
/// previous one (optimistic mirror descent), for games and min–max problems.
///
/// With g′ = map(g), t the step number counted from 1, α = η and β =
/// `optimism` (η when `nil`):
///
///     m ← (1 − β₁) g′ + β₁ m;   v ← (1 − β₂) g′² + β₂ v
///     m̂ = β₁ m / (1 − β₁ᵗ⁺¹) + (1 − β₁) g′ / (1 − β₁ᵗ)    (nesterov, default)
///     m̂ = m / (1 − β₁ᵗ)                                 (nesterov: false)
///     aₜ = m̂ / (√(v / (1 − β₂ᵗ) + ε_root) + ε)
///     p ← p − ((α + β) aₜ − β aₜ₋₁)                      (a₀ = a₁)
///
/// ε is outside the square root, optax's ε_root inside it (0 by default).
/// This reproduces
/// `optax.optimistic_adam(η, optimism=β, b1, b2, eps, eps_root, nesterov=)`,
/// whose defaults it shares.
///
/// State: the step count, *m*, *v* and the previous direction aₜ₋₁. Memory:
/// three buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Daskalakis et al., *Training GANs with Optimism*, ICLR 2018.
public struct OAdam<Params: Differentiable>: KernelRule, CheckpointDescribable {
  /// The learning rate η ≥ 0.
  public var learningRate: Double
  /// The optimism β ≥ 0 weighting the previous direction; `nil` means η.
  public var optimism: Double?
  /// The first-moment decay β₁ ∈ [0, 1).
  public var beta1: Double
  /// The second-moment decay β₂ ∈ [0, 1).
  public var beta2: Double
  /// The denominator's guard ε ≥ 0 (> 0 when ε_root = 0), outside the square root.
  public var epsilon: Double
  /// optax's guard ε_root ≥ 0 inside the square root; default 0.
  public var epsilonRoot: Double
  /// Whether the direction uses optax's Nesterov-corrected first moment.
  public var nesterov: Bool

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double = 0.001, optimism: Double? = nil, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-8, nesterov: Bool = true, epsilonRoot: Double = 0
  ) {
    (self.learningRate, self.optimism, self.beta1, self.beta2) = (learningRate, optimism, beta1, beta2)
    (self.epsilon, self.nesterov, self.epsilonRoot) = (epsilon, nesterov, epsilonRoot)
    requireValidHyperparameters()
  }

  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.nonNegative(optimism, "optimism")
    h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.denominatorGuards(epsilon: epsilon, epsilonRoot: epsilonRoot, rootIsAddedOption: true)
  }


  /// The step count, *m*, *v* and the previous direction.
  public struct State: ZeroStartingState, Equatable {
    var rule = RuleTag<OAdam>()
    /// The number of updates applied so far.
    public var step: Int
    /// *m*.
    public var firstMoment: Params.TangentVector
    /// *v*.
    public var secondMoment: Params.TangentVector
    /// The previous step's direction dₜ₋₁.
    public var previousDirection: Params.TangentVector

    /// A state from its parts.
    @inlinable
    public init(
      step: Int, firstMoment: Params.TangentVector, secondMoment: Params.TangentVector,
      previousDirection: Params.TangentVector
    ) {
      (self.step, self.firstMoment, self.secondMoment) = (step, firstMoment, secondMoment)
      self.previousDirection = previousDirection
    }

    /// Step 0, every buffer zero.
    @inlinable public init(zerosLike params: Params) {
      let zero = params.zeroTangentVector
      self.init(step: 0, firstMoment: zero, secondMoment: zero, previousDirection: zero)
    }

    /// *m*, *v*, dₜ₋₁.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&firstMoment, "firstMoment")
      visitor.visit(&secondMoment, "secondMoment")
      visitor.visit(&previousDirection, "previousDirection")
    }
  }

  /// One step, fused over p, g, m, v and dₜ₋₁.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let first = t == 1, beta = optimism ?? learningRate, time = Double(t)
    let current = S(learningRate + beta), past = S(beta)
    let c1 = S(1 - power(beta1, time)), c1Next = S(1 - power(beta1, time + 1)), c2 = S(1 - power(beta2, time))
    let mix1 = S(1 - beta1), keep1 = S(beta1), mix2 = S(1 - beta2), keep2 = S(beta2), eps = S(epsilon)
    let root = S(epsilonRoot)
    let useNesterov = nesterov
    walk { b in
      let (m, v, previous) = (b[0], b[1], b[2])
      for i in b.indices {
        let g = b.gradient(i), mi = mix1 * g + keep1 * m[i], vi = mix2 * (g * g) + keep2 * v[i]
        (m[i], v[i]) = (mi, vi)
        let corrected = useNesterov ? keep1 * (mi / c1Next) + mix1 * (g / c1) : mi / c1
        let direction = corrected / (S.squareRoot(of: vi / c2 + root) + eps)
        let before = first ? direction : previous[i]
        previous[i] = direction
        b.p[i] -= current * direction - past * before
      }
    }
  }
}
