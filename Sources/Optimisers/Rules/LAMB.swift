/// LAMB: Adam's direction plus weight decay, rescaled per leaf by the layer-wise
/// trust ratio ‖p‖ / ‖direction‖.
///
/// With g′ = map(g), t the step number counted from 1, λ the weight decay and,
/// for every leaf separately:
///
///     m ← (1 − β₁) g′ + β₁ m;   v ← (1 − β₂) g′² + β₂ v
///     a = (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ) + ε_root) + ε) + λ p
///     r = ‖p‖ / ‖a‖    (r = 1 when either norm is 0)
///     p ← p − η r a
///
/// ε is outside the square root, after the bias correction; optax's ε_root is
/// inside it. This reproduces `optax.lamb(η, b1, b2, eps, eps_root, weight_decay=λ)`,
/// whose defaults it shares (ε = 1e-6, ε_root = 0, λ = 0). Each leaf (a weight matrix, a bias vector) is one
/// "layer".
///
/// The norms need a reduction before the update, so each leaf is walked twice:
/// a first pass updates *m* and *v* and sums ‖p‖² and ‖a‖²; a second pass
/// recomputes *a* from the stored moments and moves *p*.
///
/// State: the step count, *m* and *v*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, two passes per leaf.
/// - References: You et al., *Large Batch Optimization for Deep Learning:
///   Training BERT in 76 Minutes*, ICLR 2020.
public struct LAMB<Params: Differentiable>: KernelRule, CheckpointDescribable {
  /// The learning rate η ≥ 0.
  public var learningRate: Double
  /// The first-moment decay β₁ ∈ [0, 1).
  public var beta1: Double
  /// The second-moment decay β₂ ∈ [0, 1).
  public var beta2: Double
  /// The denominator's guard ε ≥ 0 (> 0 when ε_root = 0), outside the square root.
  public var epsilon: Double
  /// The decoupled weight decay λ ≥ 0, added to the direction before the trust ratio.
  public var weightDecay: Double
  /// optax's guard ε_root ≥ 0 inside the square root; default 0.
  public var epsilonRoot: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-6,
    weightDecay: Double = 0, epsilonRoot: Double = 0
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
    (self.weightDecay, self.epsilonRoot) = (weightDecay, epsilonRoot)
    requireValidHyperparameters()
  }

  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.nonNegative(weightDecay, "weightDecay"); h.denominatorGuards(epsilon: epsilon, epsilonRoot: epsilonRoot, rootIsAddedOption: true)
  }


  /// The step count and the moments *m* and *v* (see ``MomentEstimates``).
  public typealias State = MomentEstimates<Params, LAMB>

  /// One step: per leaf, the moments and the direction's and parameters' norms,
  /// then the update scaled by their trust ratio.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let c1 = S(1 - power(beta1, Double(t))), c2 = S(1 - power(beta2, Double(t)))
    let rate = S(learningRate), decay = S(weightDecay), eps = S(epsilon), root = S(epsilonRoot)
    let mix1 = S(1 - beta1), keep1 = S(beta1), mix2 = S(1 - beta2), keep2 = S(beta2)
    walk.wholeLeaves { b in
      let (p, m, v) = (b.p, b[0], b[1])
      var parameterSquares: S = 0, directionSquares: S = 0
      for i in b.indices {
        let g = b.gradient(i), mi = mix1 * g + keep1 * m[i], vi = mix2 * (g * g) + keep2 * v[i]
        (m[i], v[i]) = (mi, vi)
        let a = (mi / c1) / (S.squareRoot(of: vi / c2 + root) + eps) + decay * p[i]
        directionSquares += a * a
        parameterSquares += p[i] * p[i]
      }
      let parameterNorm = S.squareRoot(of: parameterSquares), directionNorm = S.squareRoot(of: directionSquares)
      let ratio = parameterNorm == 0 || directionNorm == 0 ? 1 : parameterNorm / directionNorm
      for i in b.indices {
        p[i] -= ((m[i] / c1) / (S.squareRoot(of: v[i] / c2 + root) + eps) + decay * p[i]) * ratio * rate
      }
    }
  }
}
