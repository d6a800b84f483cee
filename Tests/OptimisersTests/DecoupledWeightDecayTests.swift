import Optimisers
import Testing

@Suite struct DecoupledWeightDecayTests {
  typealias Model = AffineModel<Double>

  @Test func shrinksByOneMinusEtaLambdaBeforeTheStep() {
    // p ← p (1 − ηλ), then SGD: p − η g. η = 0.1, λ = 0.5.
    var p = 2.0
    let optimiser = DecoupledWeightDecay(0.5, SGD<Double>(learningRate: 0.1), learningRate: \.learningRate)
    var state = optimiser.initialState(for: p)
    optimiser.update(&state, &p, 1)
    #expect(p == 2 * (1 - 0.1 * 0.5) - 0.1 * 1)
  }

  @Test func zeroCoefficientIsTheBaseBitwise() {
    let model = affine(Double.self, seed: 2)
    let gradients = WrapperLaws.gradients(for: model, steps: 5, seed: 3)
    let base = Adam<Model>(learningRate: 0.01)
    #expect(WrapperLaws.bitwiseEqual(
      WrapperLaws.trajectory(DecoupledWeightDecay(0, base, learningRate: \.learningRate), from: model, gradients).params,
      WrapperLaws.trajectory(base, from: model, gradients).params))
  }

  @Test func selectorLimitsTheDecay() {
    var model = affine(Double.self, seed: 4)
    let start = model
    let optimiser = DecoupledWeightDecay(
      0.5, SGD<Model>(learningRate: 0.1), learningRate: \.learningRate, selecting: .rank(atLeast: 2))
    var state = optimiser.initialState(for: model)
    optimiser.update(&state, &model, model.zeroTangentVector)
    #expect(model.bias.scalars == start.bias.scalars)
    #expect(model.weight.scalars == start.weight.scalars.map { $0 * (1 - 0.05) })
  }

  @Test func theDecayFollowsTheRulesCurrentLearningRate() {
    var p = 2.0
    let optimiser = DecoupledWeightDecay(0.5, SGD<Double>(learningRate: 0.1), learningRate: \.learningRate)
      .adjusted(\.base.learningRate, to: 0.2)
    var state = optimiser.initialState(for: p)
    optimiser.update(&state, &p, 0)
    #expect(p == 2 * (1 - 0.2 * 0.5))
  }

  @Test func theMapSeesTheParametersBeforeTheShrink() {
    // Chain(WeightDecay(μ), AdamW-style(λ, SGD)): g′ = g + μ p_old.
    var p = 2.0
    let chain = Chain(
      WeightDecay(1), DecoupledWeightDecay(0.5, SGD<Double>(learningRate: 0.1), learningRate: \.learningRate))
    var state = chain.initialState(for: p)
    chain.update(&state, &p, 0)
    let shrunk: Double = 2 * (1 - 0.1 * 0.5)
    let step: Double = 0.1 * (0 + 1 * 2)
    #expect(p == shrunk - step)
  }
}
