/// D-Adaptation AdamW: AdamW whose step size is learnt — an estimate *d* of
/// the distance to the solution, raised by a whole-model reduction every step.
///
/// With g = map(g), η the learning-rate *multiplier* (leave it at 1, or
/// schedule it from 1 towards 0), σ = √β₂, t counted from 1, and *s*, *v* as
/// they were before the step:
///
///     dη = d·η·√(1 − β₂ᵗ)/(1 − β₁ᵗ)
///     r ← σr + (1 − σ)·dη·⟨g, s / (√v + ε)⟩          over the whole model
///     m ← β₁m + (1 − β₁)·dη·g;   v ← β₂v + (1 − β₂)g²;   s ← σs + (1 − σ)·dη·g
///     d ← max(d, r / ((1 − σ)‖s‖₁))
///     p ← p + (−λ·dη·p − m / (√v + ε))
///
/// The learning rate lives in *m* (as dη·g), so the step divides *m* by √v + ε
/// with ε outside the root and unscaled; the weight decay λ is decoupled and
/// scaled by dη. This is `optax.contrib.dadapt_adamw(learning_rate=η,
/// betas=(β₁, β₂), eps=ε, estim_lr0=d₀, weight_decay=λ)` with its defaults.
/// Where optax would divide 0 by 0 (every gradient so far zero) and make *d*
/// NaN, this keeps *d*. (The `dadaptation` package's `DAdaptAdam` is a
/// different arrangement — *d* inside the moments' weights, a growth limit,
/// optional bias correction — and is not matched here.)
///
/// **Thread count.** The two sums over the model (⟨g, s/(√v + ε)⟩ and ‖s‖₁)
/// run leaf by leaf on the calling thread in a fixed order (see
/// ``Walk/wholeModelSums(_:)``); the update runs on threads. Results are
/// bitwise the same for every thread count. The rule is a
/// ``WholeModelReduction``: ``Sharded`` refuses it.
///
/// State: the step count, *d*, the numerator *r*, *m*, *v* and *s*. Memory:
/// three buffers per parameter.
///
/// - Complexity: O(*n*) per step: a read-only reduction pass, then the update.
/// - References: Defazio and Mishchenko, *Learning-Rate-Free Learning by
///   D-Adaptation*, ICML 2023.
public struct DAdaptAdamW<Params: Differentiable>: KernelRule, WholeModelReduction {
  /// The learning-rate multiplier η ≥ 0 (1), the decays β₁ (0.9) and
  /// β₂ (0.999) ∈ [0, 1), the guard ε > 0 (1e-8), the starting estimate
  /// d₀ > 0 (1e-6) and the decoupled weight decay λ ≥ 0 (0).
  public var learningRate, beta1, beta2, epsilon, initialEstimate, weightDecay: Double

  /// Creates the rule with optax's defaults; stops with a message naming any
  /// hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double = 1, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    initialEstimate: Double = 1e-6, weightDecay: Double = 0
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
    (self.initialEstimate, self.weightDecay) = (initialEstimate, weightDecay)
    requireValidHyperparameters()
  }

  /// η, λ ≥ 0; β₁, β₂ ∈ [0, 1); ε, d₀ > 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.positive(epsilon, "epsilon"); h.positive(initialEstimate, "initialEstimate")
    h.nonNegative(weightDecay, "weightDecay")
  }

  /// The step count, the estimate, *m*, *v* and *s*.
  public typealias State = DistanceEstimateState<Params, DAdaptAdamW>

  /// Step 0, d = d₀, every buffer zero.
  @inlinable public func initialState(for params: Params) -> State {
    State(for: params, initialEstimate: initialEstimate, keepsStart: false)
  }

  /// The reduction pass, the new estimate, then the update.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let d = walk.read { $0.estimate }
    let sigma = beta2.squareRoot(), n = Double(t)
    let dlr = d * learningRate * (power(1 - power(beta2, n), 0.5) / (1 - power(beta1, n)))
    let keep3 = Scalar(sigma), mix3 = Scalar((1 - sigma) * dlr), eps = Scalar(epsilon)
    let (product, l1) = walk.wholeModelSums { b, i in
      let g = b.gradient(i), s = b[2][i]
      return (g * (s / (Scalar.squareRoot(of: b[1][i]) + eps)), (keep3 * s + mix3 * g).magnitude)
    }
    walk.modify { state in
      state.numerator = sigma * state.numerator + (1 - sigma) * dlr * product
      state.adaptedSteps += 1
      if l1 != 0 { state.estimate = Swift.max(d, state.numerator / ((1 - sigma) * l1)) }
      state.maximumEstimate = state.estimate
    }
    let keep1 = Scalar(beta1), mix1 = Scalar((1 - beta1) * dlr), keep2 = Scalar(beta2), mix2 = Scalar(1 - beta2)
    let decay = Scalar(-weightDecay * dlr)
    walk { b in
      let (m, v, s) = (b[0], b[1], b[2])
      for i in b.indices {
        let g = b.gradient(i), mi = keep1 * m[i] + mix1 * g, vi = keep2 * v[i] + mix2 * g * g
        (m[i], v[i], s[i]) = (mi, vi, keep3 * s[i] + mix3 * g)
        b.p[i] += decay * b.p[i] - mi / (Scalar.squareRoot(of: vi) + eps)
      }
    }
  }

  /// Checks the counts, the estimate and the shapes of *m*, *v* and *s*.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try state.validate(for: params, keepsStart: false)
  }
}
