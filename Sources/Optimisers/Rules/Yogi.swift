/// Yogi: Adam with an additive second-moment update that changes *v* by at most
/// (1 − β₂) g² per step, so the effective learning rate cannot jump.
///
/// With g′ = map(g), t the step number counted from 1, and both moments starting
/// at `initialAccumulator`:
///
///     m ← (1 − β₁) g′ + β₁ m
///     v ← v − (1 − β₂) · sign(v − g′²) · g′²
///     p ← p − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
///
/// ε is outside the square root. This reproduces `optax.yogi(η, b1, b2, eps)`
/// (and, with `initialAccumulator`, `optax.scale_by_yogi(...,
/// initial_accumulator_value=)` followed by the learning rate), including
/// optax's start of *both* moments at the initial accumulator; the defaults
/// follow optax (ε = 1e-3). Because *m* starts non-zero, a zero gradient moves
/// the parameters slightly unless `initialAccumulator` is 0.
///
/// State: the step count, *m* and *v*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Zaheer et al., *Adaptive Methods for Nonconvex Optimization*,
///   NeurIPS 2018.
public struct Yogi<Params: Differentiable>: KernelRule {
  /// The learning rate η ≥ 0 (0.01), the moment decays β₁, β₂ ∈ [0, 1) (0.9 and
  /// 0.999), the guard ε > 0 outside the square root (1e-3) and the value ≥ 0
  /// both moments start at (1e-6).
  public var learningRate, beta1, beta2, epsilon, initialAccumulator: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 0.01, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-3,
    initialAccumulator: Double = 1e-6
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
    self.initialAccumulator = initialAccumulator
    requireValidHyperparameters()
  }

  /// η ≥ 0, β₁, β₂ ∈ [0, 1), ε > 0, initial value ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.positive(epsilon, "epsilon"); h.nonNegative(initialAccumulator, "initialAccumulator")
  }

  /// The step count and the moments *m* and *v* (see ``MomentEstimates``).
  public typealias State = MomentEstimates<Params, Yogi>

  /// Step 0 and both moments filled with `initialAccumulator`.
  @inlinable public func initialState(for params: Params) -> State {
    let start = Elementwise.filled(params.zeroTangentVector, with: initialAccumulator)
    return State(step: 0, firstMoment: start, secondMoment: start)
  }

  /// One step, fused over p, g, *m* and *v*.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let a = AdamArithmetic<Scalar>(beta1: beta1, beta2: beta2, epsilon: epsilon, epsilonRoot: 0, step: t, learningRate: learningRate)
    walk { b in
      let v = b[1]
      for i in b.indices {
        let g = b.gradient(i), square = g * g, mi = a.optaxFirstMoment(g, b[0], i)
        let vi = v[i] - a.mix2 * Elementwise.sign(v[i] - square) * square
        v[i] = vi
        b.p[i] -= a.optaxStep(mi, vi)
      }
    }
  }
}
