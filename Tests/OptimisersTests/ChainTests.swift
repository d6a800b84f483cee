import Optimisers
import Testing

@Suite struct ChainTests {
  @Test func exampleCompiles() {
    var model = AffineModel<Double>(weight: Tensor(randomNormal: [3, 2], seed: 1), bias: Tensor(randomNormal: [3], seed: 2))
    let optimiser = Chain(ClipGlobalNorm(1.0), WeightDecay(1e-4).masked { $0.hasSuffix("weight") }, Adam<AffineModel<Double>>(learningRate: 1e-3))
    var state = optimiser.initialState(for: model)
    var g = model.zeroTangentVector
    g[\.weight] = Tensor(randomNormal: [3, 2], seed: 3)
    optimiser.update(&state, &model, g)
    let slower = optimiser.adjusted(\.rule.learningRate, to: 1e-4)
    #expect(slower.rule.learningRate == 1e-4)
    let single = Chain(Adam<AffineModel<Double>>())
    _ = single
  }
}
