import Optimisers
import Testing

@Suite struct ExponentialMovingAverageTests {
  @Test func debiasedAverageByHand() {
    // SGD η = 0.1, g = 1: p = 0.9, 0.8. β = 0.5: a₁ = 0.45, a₂ = 0.5·0.8 + 0.5·0.45.
    var p = 1.0
    let optimiser = ExponentialMovingAverage(SGD<Double>(learningRate: 0.1), decay: 0.5)
    var state = optimiser.initialState(for: p)
    #expect(optimiser.averagedParameters(state, like: p) == 1)
    optimiser.update(&state, &p, 1)
    #expect(optimiser.averagedParameters(state, like: p) == (0.5 * 0.9) / 0.5)
    optimiser.update(&state, &p, 1)
    #expect(p == 0.9 - 0.1)
    #expect(optimiser.averagedParameters(state, like: p) == (0.5 * 0.8 + 0.5 * (0.5 * 0.9)) / 0.75)
  }

  @Test func undebiasedAverageStartsAtTheInitialParameters() {
    var p = 1.0
    let optimiser = ExponentialMovingAverage(SGD<Double>(learningRate: 0.1), decay: 0.5, debiased: false)
    var state = optimiser.initialState(for: p)
    optimiser.update(&state, &p, 1)
    optimiser.update(&state, &p, 1)
    #expect(optimiser.averagedParameters(state, like: p) == 0.5 * 0.8 + 0.5 * (0.5 * 0.9 + 0.5 * 1))
  }

  @Test func trainingParametersAreTheBaseRulesBitwise() {
    let model = affine(Float.self, seed: 3)
    let gradients = WrapperLaws.gradients(for: model, steps: 5, seed: 4)
    let base = Adam<AffineModel<Float>>(learningRate: 0.01)
    #expect(WrapperLaws.bitwiseEqual(
      WrapperLaws.trajectory(ExponentialMovingAverage(base, decay: 0.9), from: model, gradients).params,
      WrapperLaws.trajectory(base, from: model, gradients).params))
  }

  @Test func decayOfOneStops() async {
    await #expect(processExitsWith: .failure) { _ = ExponentialMovingAverage(SGD<Double>(), decay: 1) }
  }
}
