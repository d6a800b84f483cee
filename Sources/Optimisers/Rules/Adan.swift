/// Adan: adaptive Nesterov momentum, estimated from the gradient and its
/// difference between steps, without a gradient at an extrapolated point.
///
/// With d = g − g_prev (0 on the first step), t counted from 1 and every
/// estimate bias-corrected by 1 − βᵗ:
///
///     m ← β₁m + (1 − β₁)g
///     v ← β₂v + (1 − β₂)d
///     n ← β₃n + (1 − β₃)(g + (1 − β₂)d)²
///     p ← p − η((m̂ + (1 − β₂)v̂) / (√(n̂ + ε_root) + ε) + λp)
///
/// The βs are optax's decay rates (the paper's 1 − β), ε_root inside the root
/// and ε outside, the weight decay λ decoupled and scaled by η, as
/// `optax.adan(learning_rate, b1, b2, b3, eps, eps_root, weight_decay)`.
///
/// State: the step count, *m*, *v*, *n* and the previous gradient. Memory: four
/// buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Xie, Zhou, Li, Lin and Yan, *Adan: Adaptive Nesterov Momentum
///   Algorithm for Faster Optimizing Deep Models*, 2022 (TPAMI 2024).
public struct Adan<Params: Differentiable>: KernelRule, BufferNaming {
  /// The learning rate η ≥ 0 (0.001, as pytorch-optimizer; optax has none), the
  /// decays β₁ (0.98), β₂ (0.92), β₃ (0.99), each in [0, 1), the guards
  /// ε ≥ 0 (1e-8) outside and ε_root ≥ 0 (1e-8) inside the root (not both 0), and the
  /// decoupled weight decay λ ≥ 0 (0).
  public var learningRate, beta1, beta2, beta3, epsilon, epsilonRoot, weightDecay: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double = 0.001, beta1: Double = 0.98, beta2: Double = 0.92, beta3: Double = 0.99,
    epsilon: Double = 1e-8, epsilonRoot: Double = 1e-8, weightDecay: Double = 0
  ) {
    (self.learningRate, self.beta1, self.beta2, self.beta3) = (learningRate, beta1, beta2, beta3)
    (self.epsilon, self.epsilonRoot, self.weightDecay) = (epsilon, epsilonRoot, weightDecay)
    requireValidHyperparameters()
  }

  /// η, λ ≥ 0; β₁, β₂, β₃ ∈ [0, 1); ε, ε_root ≥ 0 not both 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.unitInterval(beta3, "beta3"); h.denominatorGuards(epsilon: epsilon, epsilonRoot: epsilonRoot)
    h.nonNegative(weightDecay, "weightDecay")
  }

  /// The gradient's moving average *m*, the moving average *v* of the gradient's
  /// difference, the second moment *n* of g + (1 − β₂)d and the previous
  /// gradient, all zero before the first step.
  public static var bufferNames: [StaticString] { ["firstMoment", "differenceMoment", "secondMoment", "previousGradient"] }
  /// The step count and the buffers above (``NamedBufferState``).
  public typealias State = NamedBufferState<Params, Adan>

  /// One fused pass over p, g and the four buffers.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let tt = Double(t), first = t == 1
    let (c1, c2, c3) = (Scalar(1 - power(beta1, tt)), Scalar(1 - power(beta2, tt)), Scalar(1 - power(beta3, tt)))
    let (k1, k2, k3) = (Scalar(beta1), Scalar(beta2), Scalar(beta3))
    let (m1, m2, m3) = (Scalar(1 - beta1), Scalar(1 - beta2), Scalar(1 - beta3))
    let rate = Scalar(learningRate), eps = Scalar(epsilon), root = Scalar(epsilonRoot), decay = Scalar(weightDecay)
    walk { b in
      let (m, v, n, previous) = (b[0], b[1], b[2], b[3])
      for i in b.indices {
        let g = b.gradient(i), d = first ? 0 : g - previous[i]
        let mi = m1 * g + k1 * m[i], vi = m2 * d + k2 * v[i], s = g + m2 * d, ni = m3 * (s * s) + k3 * n[i]
        (m[i], v[i], n[i], previous[i]) = (mi, vi, ni, g)
        let u = (mi / c1 + m2 * (vi / c2)) / (Scalar.squareRoot(of: ni / c3 + root) + eps)
        b.p[i] -= rate * (u + decay * b.p[i])
      }
    }
  }
}
