import Foundation
import Optimisers
import Testing

/// Prodigy's and D-Adaptation AdamW's own promises, beyond the reference
/// trajectories (`RecentRuleFixtureTests`) and the catalogue's laws (purity,
/// resume from both checkpoint formats, thread-count independence).
@Suite struct LearningRateFreeTests {
  /// `prodigyopt` returns before any update while ‖s‖₁ = 0, without counting
  /// the step in its bias correction; then the first real step keeps d = d₀
  /// (its numerator is Σ g·(x₀ − x) = 0) and moves p by dη·m/(√v + dε).
  @Test func prodigyByHandFromAZeroGradient() {
    let rule = Prodigy<Double>()
    var (state, p) = (rule.initialState(for: 2.0), 2.0)
    rule.update(&state, &p, 0)
    #expect(p == 2 && state.step == 1 && state.adaptedSteps == 0 && state.estimate == 1e-6 && state.numerator == 0)
    rule.update(&state, &p, 4)
    let m = 4 * (1e-6 * 0.1), v = 1e-6 * 1e-6 * (1 - 0.999) * 4 * 4
    #expect(abs(p - (2 - 1e-6 * (m / (v.squareRoot() + 1e-6 * 1e-8)))) < 1e-15)
    #expect(state.adaptedSteps == 1 && state.estimate == 1e-6 && state.maximumEstimate == 1e-6)
    rule.update(&state, &p, 4)
    #expect(state.estimate > 1e-6 && state.estimate <= state.maximumEstimate, "d grows once x has moved")
  }

  /// With a growth limit γ, d grows by at most γ per step after its first rise
  /// (that one is free), and lags behind d_max while the limit binds.
  @Test func prodigyGrowthRateLimitsTheEstimate() {
    let limited = Prodigy<Double>(growthRate: 1.1)
    var (a, pa) = (limited.initialState(for: 1.0), 1.0)
    var (previous, binding) = (a.estimate, false)
    for k in 0..<12 {
      limited.update(&a, &pa, k % 3 == 2 ? -1.0 : 2.0)
      if previous != limited.initialEstimate { #expect(a.estimate <= previous * 1.1 * (1 + 1e-15)) }
      binding = binding || a.estimate < a.maximumEstimate
      previous = a.estimate
    }
    #expect(binding && previous > limited.initialEstimate)
  }

  /// Where optax would divide 0 by 0 (no gradient yet) and make d NaN, both
  /// rules keep d; nothing becomes NaN.
  @Test func aZeroFirstGradientKeepsTheEstimate() {
    let prodigy = Prodigy<Double>.optax(), dadapt = DAdaptAdamW<Double>()
    var (s1, p1) = (prodigy.initialState(for: 3.0), 3.0), (s2, p2) = (dadapt.initialState(for: 3.0), 3.0)
    prodigy.update(&s1, &p1, 0)
    dadapt.update(&s2, &p2, 0)
    #expect(p1 == 3 && p2 == 3 && s1.estimate == 1e-6 && s2.estimate == 1e-6)
    #expect(s1.adaptedSteps == 1 && s2.adaptedSteps == 1, "optax counts every step")
  }

  /// `.optax` has no growth limit, no coupled decay and always corrects bias.
  @Test func optaxVariantRefusesOptionsOptaxDoesNotHave() {
    for change in [{ (r: inout Prodigy<Double>) in r.growthRate = 1.02 }, { $0.biasCorrection = false },
                   { $0.decoupledWeightDecay = false }] {
      var rule = Prodigy<Double>.optax()
      change(&rule)
      #expect(throws: OptimiserError.self) { try rule.validateHyperparameters() }
    }
    var rule = Prodigy<Double>()
    rule.growthRate = 0.5
    #expect(throws: OptimiserError.self) { try rule.validateHyperparameters() }
  }

  @Test func impossibleStatesAreRejected() throws {
    let model = AffineModel<Double>(weight: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), bias: Tensor([0.5, -1]))
    let prodigy = Prodigy<AffineModel<Double>>(), dadapt = DAdaptAdamW<AffineModel<Double>>()
    try prodigy.validate(prodigy.initialState(for: model), for: model)
    try dadapt.validate(dadapt.initialState(for: model), for: model)
    var bad = prodigy.initialState(for: model)
    bad.estimate = 0
    #expect(throws: OptimiserError.self) { try prodigy.validate(bad, for: model) }
    bad = prodigy.initialState(for: model)
    bad.maximumEstimate = bad.estimate / 2
    #expect(throws: OptimiserError.self) { try prodigy.validate(bad, for: model) }
    bad = prodigy.initialState(for: model)
    bad.initialParameters = nil
    #expect(throws: OptimiserError.self) { try prodigy.validate(bad, for: model) }
    bad = prodigy.initialState(for: model)
    bad.adaptedSteps = 1
    #expect(throws: OptimiserError.self) { try prodigy.validate(bad, for: model) }
    var other = dadapt.initialState(for: model)
    other.initialParameters = model.zeroTangentVector
    #expect(throws: OptimiserError.self) { try dadapt.validate(other, for: model) }
    other = dadapt.initialState(for: model)
    other.numerator = .nan
    #expect(throws: OptimiserError.self) { try dadapt.validate(other, for: model) }
  }

  /// The estimate couples the leaves: a gradient on one leaf changes the step
  /// of another.
  @Test func theEstimateReadsTheWholeModel() {
    typealias Model = AffineModel<Double>
    let model = Model(weight: Tensor(shape: [1, 2], scalars: [1, -1]), bias: Tensor([0.5]))
    func run(_ biasGradient: Double) -> Model {
      let rule = DAdaptAdamW<Model>()
      var (state, p) = (rule.initialState(for: model), model)
      for _ in 0..<4 {
        rule.update(&state, &p, Tangent(leaves: [Tensor(shape: [1, 2], scalars: [1, 2]), Tensor([biasGradient])]))
      }
      return p
    }
    #expect(run(0).weight.scalars != run(5).weight.scalars)
  }
}
