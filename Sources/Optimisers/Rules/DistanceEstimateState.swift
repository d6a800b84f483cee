/// The state of the learning-rate-free rules (``Prodigy``, ``DAdaptAdamW``):
/// Adam's moments, the weighted gradient sum *s*, and the running estimate *d*
/// of the distance to the solution, with the numerator it is built from.
///
/// *d* starts at the rule's `initialEstimate` d₀ and never decreases; each
/// step sets it from ``numerator`` / ‖s‖₁ (see the rules for the exact
/// weights). ``Prodigy`` also keeps the starting parameters x₀, because its
/// numerator is Σ gₜ·(x₀ − xₜ).
///
/// - Complexity: Encoding, decoding and ``validate(for:)`` are O(*n*) and O(leaves).
/// - References: Defazio and Mishchenko, *Learning-Rate-Free Learning by
///   D-Adaptation*, ICML 2023; Mishchenko and Defazio, *Prodigy: An
///   Expeditiously Adaptive Parameter-Free Learner*, 2023.
public struct DistanceEstimateState<Params: Differentiable, Rule>: BufferedState, Equatable {
  /// The rule's name, checked when the state is decoded.
  var rule = RuleTag<Rule>()
  /// The number of updates applied so far (t after the update).
  public var step: Int
  /// The number of steps that adapted *d* (`prodigyopt`'s `k`): a step whose
  /// ‖s‖₁ is 0 (every gradient so far zero) leaves everything unchanged in
  /// `prodigyopt` and does not count. Equals ``step`` for the optax forms.
  public var adaptedSteps: Int
  /// The estimate *d* (optax's `estim_lr`), d₀ before the first step.
  public var estimate: Double
  /// The largest estimate d̂ so far, at least d₀ (`prodigyopt`'s `d_max`;
  /// equal to ``estimate`` when *d*'s growth is not limited).
  public var maximumEstimate: Double
  /// The weighted numerator of the estimate (`d_numerator`, optax's
  /// `numerator_weighted`), 0 before the first step.
  public var numerator: Double
  /// The first moment *m*.
  public var firstMoment: Params.TangentVector
  /// The second moment *v*.
  public var secondMoment: Params.TangentVector
  /// The weighted gradient sum *s*, whose ℓ₁ norm is the estimate's denominator.
  public var gradientSum: Params.TangentVector
  /// The starting parameters x₀ (``Prodigy``); `nil` for ``DAdaptAdamW``.
  public var initialParameters: Params.TangentVector?

  /// Step 0, *d* = d₀, every buffer zero, and x₀ = `params` when `keepsStart`.
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public init(for params: Params, initialEstimate: Double, keepsStart: Bool) {
    (step, adaptedSteps, estimate, maximumEstimate, numerator) = (0, 0, initialEstimate, initialEstimate, 0)
    let zero = params.zeroTangentVector
    (firstMoment, secondMoment, gradientSum) = (zero, zero, zero)
    initialParameters = keepsStart ? LeafCopy.tangent(of: params) : nil
  }

  /// *m*, *v*, *s*, then x₀ (when kept).
  @inlinable
  public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
    visitor.visit(&firstMoment, "firstMoment")
    visitor.visit(&secondMoment, "secondMoment")
    visitor.visit(&gradientSum, "gradientSum")
    visitor.visit(&initialParameters, "initialParameters")
  }

  /// Checks the counts, the estimates and every buffer's shapes, and that x₀
  /// is present exactly when `keepsStart`.
  func validate(for params: Params, keepsStart: Bool) throws(OptimiserError) {
    try validate(for: params)
    guard (0...step).contains(adaptedSteps) else {
      throw .invalidState("adaptedSteps is \(adaptedSteps); it must lie in 0...step (\(step))")
    }
    guard estimate.isFinite, estimate > 0, maximumEstimate.isFinite, maximumEstimate >= estimate, numerator.isFinite
    else {
      throw .invalidState(
        "distance estimate \(estimate), maximum \(maximumEstimate), numerator \(numerator): the estimate must be "
          + "finite and > 0, the maximum finite and ≥ the estimate, the numerator finite")
    }
    if (initialParameters != nil) != keepsStart {
      throw .invalidState(keepsStart ? "the state has no initialParameters" : "the state has initialParameters")
    }
  }
}
