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
  /// The learning rate η; default 0.01.
  public var learningRate: Double
  /// The first-moment decay β₁ ∈ [0, 1); default 0.9.
  public var beta1: Double
  /// The second-moment rate β₂ ∈ [0, 1); default 0.999.
  public var beta2: Double
  /// The denominator's guard ε > 0, outside the square root; default 1e-3.
  public var epsilon: Double
  /// The value both moments start at, ≥ 0; default 1e-6.
  public var initialAccumulator: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.01.
  ///   - beta1: β₁ ∈ [0, 1); default 0.9.
  ///   - beta2: β₂ ∈ [0, 1); default 0.999.
  ///   - epsilon: ε > 0; default 1e-3.
  ///   - initialAccumulator: ≥ 0; default 1e-6.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 0.01, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-3,
    initialAccumulator: Double = 1e-6
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.initialAccumulator = initialAccumulator
    requireValidHyperparameters()
  }

  /// The step count and the two moment estimates (see ``MomentEstimates``).
  public typealias State = MomentEstimates<Params, Yogi>

  /// Step 0 and both moments filled with `initialAccumulator`.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    let start = Elementwise.filled(params.zeroTangentVector, with: initialAccumulator)
    return State(step: 0, firstMoment: start, secondMoment: start)
  }

  /// One step, fused over the parameters, the gradient and the state's buffers.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let t = Double(t)
    let c1 = S(1 - power(beta1, t)), c2 = S(1 - power(beta2, t))
    let rate = S(learningRate), mix1 = S(1 - beta1), keep1 = S(beta1), mix2 = S(1 - beta2), eps = S(epsilon)
    walk { b in
      let (p, m, v) = (b.p, b[0], b[1])
      for i in b.indices {
        let gi = b.gradient(i)
        let square = gi * gi
        let mi = mix1 * gi + keep1 * m[i]
        let vi = v[i] - mix2 * Elementwise.sign(v[i] - square) * square
        m[i] = mi
        v[i] = vi
        p[i] -= rate * ((mi / c1) / (S.squareRoot(of: vi / c2) + eps))
      }
    }
  }

  /// Declares each hyperparameter's range.
  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.positive(epsilon, "epsilon"); h.nonNegative(initialAccumulator, "initialAccumulator")
  }
}
