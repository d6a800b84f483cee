/// Prodigy: Adam whose step size is learnt — an estimate *d* of the distance
/// to the solution, grown from a tiny d₀ by a whole-model reduction every step.
///
/// With g′ = map(g) (plus λp when the weight decay is coupled), η the
/// learning-rate *multiplier* (leave it at 1, or schedule it from 1 towards 0),
/// β₃ = √β₂ unless given, and on step t (k = ``DistanceEstimateState/adaptedSteps``):
///
///     c = √(1 − β₂ᵏ⁺¹) / (1 − β₁ᵏ⁺¹)  with bias correction, else 1;   dη = d·η·c
///     m ← β₁m + d(1 − β₁)g′;   v ← β₂v + d²(1 − β₂)g′²
///     s ← β₃s + (d/d₀)·dη·g′          ((d/d₀)·d·g′ with safeguardWarmup)
///     r ← β₃r + (d/d₀)·dη·⟨g′, x₀ − x⟩  over the whole model
///     d̂ = κ·r / ‖s‖₁;   d ← max(d, d̂) while d = d₀;   d_max ← max(d_max, d̂);   d ← min(d_max, γ·d)
///     p ← p − λ·dη·p (decoupled weight decay),  then  p ← p − dη·m / (√v + d·ε)
///
/// The new *d* is used only for ε; the step takes dη from before. ε is outside
/// the root, scaled by *d*. With β₁ = 0 `prodigyopt` keeps no *m* and steps
/// by dη·d′·g′ / (√v + d′ε), d′ the new estimate; so does this rule (its *m*
/// then stays d·g′, unused).
///
/// `variant` picks the reference where they differ (see ``Variant``):
/// `prodigyopt.Prodigy(params, lr=η, betas=(β₁, β₂), beta3, eps=ε,
/// weight_decay=λ, decouple, use_bias_correction, safeguard_warmup, d0=d₀,
/// d_coef=κ, growth_rate=γ)` (`.prodigyopt`, the default, with its defaults:
/// no bias correction, unlimited growth) and `optax.contrib.prodigy(learning_rate,
/// betas, beta3, eps, estim_lr0=d₀, estim_lr_coef=κ, weight_decay,
/// safeguard_warmup)` (``optax(learningRate:beta1:beta2:beta3:epsilon:initialEstimate:estimateCoefficient:weightDecay:safeguardWarmup:)``).
/// `statisticsStride` is `prodigyopt`'s `slice_p`: with stride q > 1, *s*, the
/// numerator's ⟨g′, x₀ − x⟩ and ‖s‖₁ use only the elements whose index in
/// their leaf's row-major order is a multiple of q (`p.flatten()[::slice_p]`),
/// an approximation to q = 1; *m*, *v* and the update cover every element.
/// This rule still stores *s* and x₀ at full size (the other elements stay
/// unused), so the stride saves time in the reduction, not memory.
///
/// **Thread count.** The two sums over the model (⟨g′, x₀ − x⟩ and ‖s‖₁) run
/// leaf by leaf on the calling thread in a fixed order (see
/// ``Walk/wholeModelSums(_:)``); the update runs on threads. Results are
/// bitwise the same for every thread count. The rule is a
/// ``WholeModelReduction``: ``Sharded`` refuses it.
///
/// State: the step counts, *d*, d_max, the numerator *r*, *m*, *v*, *s* and x₀.
/// Memory: four buffers per parameter (Adam's two, *s*, and the start x₀).
///
/// - Complexity: O(*n*) per step: a read-only reduction pass, then the update.
/// - References: Mishchenko and Defazio, *Prodigy: An Expeditiously Adaptive
///   Parameter-Free Learner*, ICML 2024 (arXiv 2306.06101, 2023).
public struct Prodigy<Params: Differentiable>: KernelRule, WholeModelReduction {
  /// Where the references differ.
  ///
  /// - `.prodigyopt` (`prodigyopt.Prodigy`, the authors' code): every option
  ///   above; the weights (d/d₀)·dη multiply each leaf's ⟨g′, x₀ − x⟩ and the
  ///   gradient; a step whose ‖s‖₁ is 0 changes nothing.
  /// - `.optax` (`optax.contrib.prodigy`): always bias-corrected, decoupled
  ///   weight decay applied in one update p + (−λ·dη·p − dη·m/(√v + d·ε)),
  ///   no growth limit and no special first increase (d ← max(d, d̂) every
  ///   step, which is what `.prodigyopt` does too when γ = ∞). It scales the
  ///   gradient first (m ← β₁m + (1 − β₁)(d·g), s ← β₃s + dη(d·g)/d₀) and
  ///   weights the numerator after the reduction. Where optax would divide 0
  ///   by 0 (every gradient so far zero) and make *d* NaN, this keeps *d*.
  public enum Variant: String, Codable, Sendable, Hashable {
    /// `prodigyopt.Prodigy`.
    case prodigyopt
    /// `optax.contrib.prodigy`.
    case optax
  }

  /// The learning-rate multiplier η ≥ 0 (1), the decays β₁ (0.9) and
  /// β₂ (0.999) ∈ [0, 1), the guard ε > 0 (1e-8, scaled by *d*), the weight
  /// decay λ ≥ 0 (0), the starting estimate d₀ > 0 (1e-6) and the estimate's
  /// coefficient κ > 0 (1).
  public var learningRate, beta1, beta2, epsilon, weightDecay, initialEstimate, estimateCoefficient: Double
  /// The decay β₃ ∈ [0, 1) of *s* and the numerator; `nil` (the default) is √β₂.
  public var beta3: Double?
  /// The largest factor γ ≥ 1 by which *d* may grow in one step; `nil` (the
  /// default) for no limit. `.prodigyopt` only.
  public var growthRate: Double?
  /// Whether λ shrinks the parameters (AdamW's form, true) or is added to the
  /// gradient (false; `.prodigyopt` only).
  public var decoupledWeightDecay: Bool
  /// Whether dη carries Adam's bias correction √(1 − β₂ᵗ)/(1 − β₁ᵗ) (false for
  /// `.prodigyopt`; `.optax` always does).
  public var biasCorrection: Bool
  /// Whether *s* grows by (d/d₀)·d·g′ instead of (d/d₀)·dη·g′, which keeps a
  /// warm-up schedule of η out of the estimate's denominator (false).
  public var safeguardWarmup: Bool
  /// The stride q ≥ 1 of the estimate's statistics (`slice_p`; 1, every
  /// element). `.prodigyopt` only.
  public var statisticsStride: Int
  /// The reference followed where they differ.
  public var variant: Variant

  /// Creates the rule with `prodigyopt`'s defaults; stops with a message
  /// naming any hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double = 1, beta1: Double = 0.9, beta2: Double = 0.999, beta3: Double? = nil,
    epsilon: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = true, biasCorrection: Bool = false,
    safeguardWarmup: Bool = false, initialEstimate: Double = 1e-6, estimateCoefficient: Double = 1,
    growthRate: Double? = nil, statisticsStride: Int = 1, variant: Variant = .prodigyopt
  ) {
    (self.learningRate, self.beta1, self.beta2, self.beta3, self.epsilon) = (learningRate, beta1, beta2, beta3, epsilon)
    (self.weightDecay, self.decoupledWeightDecay, self.biasCorrection) = (weightDecay, decoupledWeightDecay, biasCorrection)
    (self.safeguardWarmup, self.initialEstimate, self.estimateCoefficient) = (safeguardWarmup, initialEstimate, estimateCoefficient)
    (self.growthRate, self.statisticsStride, self.variant) = (growthRate, statisticsStride, variant)
    requireValidHyperparameters()
  }

  /// `optax.contrib.prodigy` with its defaults: bias correction on, decoupled
  /// weight decay, no growth limit.
  @inlinable
  public static func optax(
    learningRate: Double = 1, beta1: Double = 0.9, beta2: Double = 0.999, beta3: Double? = nil,
    epsilon: Double = 1e-8, initialEstimate: Double = 1e-6, estimateCoefficient: Double = 1, weightDecay: Double = 0,
    safeguardWarmup: Bool = false
  ) -> Prodigy {
    Prodigy(
      learningRate: learningRate, beta1: beta1, beta2: beta2, beta3: beta3, epsilon: epsilon, weightDecay: weightDecay,
      biasCorrection: true, safeguardWarmup: safeguardWarmup, initialEstimate: initialEstimate,
      estimateCoefficient: estimateCoefficient, variant: .optax)
  }

  /// η, λ ≥ 0; β₁, β₂, β₃ ∈ [0, 1); ε, d₀, κ > 0; γ ≥ 1; q ≥ 1; `.optax`
  /// needs bias correction, decoupled weight decay, no growth limit and q = 1.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.declare(beta3, "beta3", .unitInterval); h.positive(epsilon, "epsilon"); h.nonNegative(weightDecay, "weightDecay")
    h.positive(initialEstimate, "initialEstimate"); h.positive(estimateCoefficient, "estimateCoefficient")
    h.declare(growthRate, "growthRate", HyperparameterRange(1, .infinity))
    let optax = variant == .optax
    h.require(!optax || growthRate == nil, "growthRate", growthRate ?? 0, "nil (no limit) for .optax")
    h.require(!optax || biasCorrection, "biasCorrection", 0, "true for .optax")
    h.require(!optax || decoupledWeightDecay, "decoupledWeightDecay", 0, "true for .optax")
    h.declare(Double(statisticsStride), "statisticsStride", HyperparameterRange(1, .infinity))
    h.require(!optax || statisticsStride == 1, "statisticsStride", Double(statisticsStride), "1 for .optax")
    h.addedOption("statisticsStride", isDefault: statisticsStride == 1)
  }

  /// The step counts, the estimate, *m*, *v*, *s* and x₀.
  public typealias State = DistanceEstimateState<Params, Prodigy>

  /// Step 0, d = d_max = d₀, every buffer zero, x₀ = `params`.
  @inlinable public func initialState(for params: Params) -> State {
    State(for: params, initialEstimate: initialEstimate, keepsStart: true)
  }

  /// The reduction pass, the new estimate, then the update.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let (d, k) = walk.read { ($0.estimate, $0.adaptedSteps) }
    if variant == .prodigyopt && learningRate == 0 { return }  // prodigyopt skips a step at lr 0
    let n = Double(variant == .optax ? t : k + 1)
    let correction = biasCorrection ? power(1 - power(beta2, n), 0.5) / (1 - power(beta1, n)) : 1
    let dlr = d * learningRate * correction, b3 = beta3 ?? beta2.squareRoot()
    let kernel = ProdigyKernel<Scalar>(self, d: d, dlr: dlr, beta3: b3), stride = statisticsStride
    let (product, l1) = walk.wholeModelSums { b, i in
      guard stride == 1 || (b.offset + i) % stride == 0 else { return (0, 0) }
      let g = kernel.gradient(b, i), p0 = b[3][i]
      return (g * (p0 - b.p[i]), kernel.nextSum(b[2][i], g).magnitude)
    }
    let skip = walk.modify { state in adapt(&state, d: d, dlr: dlr, beta3: b3, product: product, l1: l1) }
    if skip { return }
    let moved = walk.read { $0.estimate }
    let decay = Scalar(-weightDecay * dlr), hasDecay = decoupledWeightDecay && weightDecay != 0
    let rate = Scalar(-dlr), noMomentumRate = Scalar(-dlr * moved), dEps = Scalar(moved * epsilon)
    let optax = variant == .optax, hasMomentum = beta1 > 0
    walk { b in
      let (m, v, s) = (b[0], b[1], b[2])
      for i in b.indices {
        let g = kernel.gradient(b, i)
        let (mi, vi) = kernel.moments(m[i], v[i], g)
        (m[i], v[i]) = (mi, vi)
        if stride == 1 || (b.offset + i) % stride == 0 { s[i] = kernel.nextSum(s[i], g) }
        let denominator = Scalar.squareRoot(of: vi) + dEps
        if optax {
          b.p[i] += decay * b.p[i] - (-rate * mi) / denominator
        } else {
          if hasDecay { b.p[i] += decay * b.p[i] }
          b.p[i] += hasMomentum ? rate * (mi / denominator) : noMomentumRate * (g / denominator)
        }
      }
    }
  }

  /// Records the step's numerator and new estimate in the state; returns
  /// whether `prodigyopt` would stop here (‖s‖₁ = 0).
  @usableFromInline
  func adapt(_ state: inout State, d: Double, dlr: Double, beta3: Double, product: Double, l1: Double) -> Bool {
    let numerator = beta3 * state.numerator + (d / initialEstimate) * dlr * product
    if variant == .prodigyopt && l1 == 0 { return true }
    (state.numerator, state.adaptedSteps) = (numerator, state.adaptedSteps + 1)
    guard l1 != 0 else { return false }
    let estimate = estimateCoefficient * numerator / l1
    switch variant {
    case .optax:
      state.estimate = Swift.max(d, estimate)
      state.maximumEstimate = state.estimate
    case .prodigyopt:
      var next = d == initialEstimate ? Swift.max(d, estimate) : d
      state.maximumEstimate = Swift.max(state.maximumEstimate, estimate)
      next = Swift.min(state.maximumEstimate, next * (growthRate ?? .infinity))
      state.estimate = next
    }
    return false
  }

  /// Checks the counts, the estimates and the shapes of *m*, *v*, *s* and x₀.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try state.validate(for: params, keepsStart: true)
  }
}

/// One Prodigy step's per-element arithmetic, in each reference's order:
/// the gradient (with coupled weight decay), the moments, and the next *s*.
@usableFromInline
struct ProdigyKernel<S: ParameterScalar>: Sendable {
  @usableFromInline let optax: Bool
  @usableFromInline let coupledDecay, d, keep1, mix1, keep2, mix2, keep3, sumWeight, startEstimate: S

  @inlinable
  init<P>(_ rule: Prodigy<P>, d: Double, dlr: Double, beta3: Double) {
    optax = rule.variant == .optax
    coupledDecay = S(rule.decoupledWeightDecay ? 0 : rule.weightDecay)
    (self.d, keep1, keep2, keep3) = (S(d), S(rule.beta1), S(rule.beta2), S(beta3))
    let scale = rule.safeguardWarmup ? d : dlr
    if optax {
      (mix1, mix2) = (S(1 - rule.beta1), S(1 - rule.beta2))
      (sumWeight, startEstimate) = (S(scale), S(rule.initialEstimate))
    } else {
      (mix1, mix2) = (S(d * (1 - rule.beta1)), S(d * d * (1 - rule.beta2)))
      (sumWeight, startEstimate) = (S(d / rule.initialEstimate * scale), 1)
    }
  }

  /// g′ = map(g), plus λp when the weight decay is coupled.
  @inlinable @inline(__always)
  func gradient<Map>(_ b: Block<S, Map>, _ i: Int) -> S { b.gradient(i) + coupledDecay * b.p[i] }

  /// The new *m* and *v*.
  @inlinable @inline(__always)
  func moments(_ m: S, _ v: S, _ g: S) -> (S, S) {
    if optax {
      let dg = d * g
      return (keep1 * m + mix1 * dg, keep2 * v + mix2 * dg * dg)
    }
    return (m * keep1 + g * mix1, v * keep2 + mix2 * g * g)
  }

  /// The new *s*: β₃s + (d/d₀)·dη·g′ (`prodigyopt`), β₃s + dη·(d·g)/d₀ (optax).
  @inlinable @inline(__always)
  func nextSum(_ s: S, _ g: S) -> S {
    optax ? keep3 * s + sumWeight * (d * g) / startEstimate : s * keep3 + g * sumWeight
  }
}
