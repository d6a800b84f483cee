import Optimisers
import Testing

@Suite struct LookaheadTests {
  @Test func fastStepsThenASlowStepByHand() {
    // SGD η = 0.1 on a scalar with g = 1: fast 1 → 0.9 → 0.8; sync with α = 0.5:
    // slow = 1 + 0.5 (0.8 − 1) = 0.9 = fast; then 0.8, 0.7; slow = 0.9 + 0.5 (0.7 − 0.9).
    var p = 1.0
    let optimiser = Lookahead(SGD<Double>(learningRate: 0.1), syncPeriod: 2, slowStepSize: 0.5)
    var state = optimiser.initialState(for: p)
    optimiser.update(&state, &p, 1)
    #expect(p == 1 - 0.1 && state.slow == 1 && state.stepsSinceSync == 1)
    optimiser.update(&state, &p, 1)
    let firstSlow = 1 + 0.5 * ((1 - 0.1 - 0.1) - 1)
    #expect(p == firstSlow && state.slow == firstSlow && state.stepsSinceSync == 0)
    optimiser.update(&state, &p, 1)
    #expect(optimiser.slowParameters(state, like: p) == firstSlow)
    optimiser.update(&state, &p, 1)
    let secondSlow = firstSlow + 0.5 * ((firstSlow - 0.1 - 0.1) - firstSlow)
    #expect(p == secondSlow && state.slow == secondSlow)
  }

  @Test func resettingClearsTheFastRuleAtEachSync() {
    var p = affine(Double.self)
    let gradients = WrapperLaws.gradients(for: p, steps: 3, seed: 2)
    let optimiser = Lookahead(Momentum<AffineModel<Double>>(), syncPeriod: 3, slowStepSize: 0.5, resetsState: true)
    var state = optimiser.initialState(for: p)
    for g in gradients { optimiser.update(&state, &p, g) }
    #expect(state.base == Momentum<AffineModel<Double>>().initialState(for: p))
  }

  @Test func invalidHyperparametersStop() async {
    await #expect(processExitsWith: .failure) { _ = Lookahead(SGD<Double>(), syncPeriod: 0, slowStepSize: 0.5) }
    await #expect(processExitsWith: .failure) { _ = Lookahead(SGD<Double>(), syncPeriod: 2, slowStepSize: 1.5) }
  }
}
