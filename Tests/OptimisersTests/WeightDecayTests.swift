import Optimisers
import Testing

@Suite struct WeightDecayTests {
  @Test func addsLambdaTimesParameter() {
    var g = Tensor<Double>([1, -1, 0])
    var state = NoState()
    WeightDecay(0.5).transform(&state, &g, Tensor<Double>([2, 4, -6]))
    #expect(g.scalars == [2, 1, -3])
  }

  @Test func chainedWithSGDIsL2Regularisation() {
    // p ← p − η(g + λp) = (1 − ηλ)p − ηg, by hand for η = 0.5, λ = 0.5.
    var p = Tensor<Float>([4, -8])
    let chain = Chain(WeightDecay(0.5), SGD<Tensor<Float>>(learningRate: 0.5))
    var state = chain.initialState(for: p)
    chain.update(&state, &p, Tensor([0, 2]))
    #expect(p.scalars == [3, -7])
  }

  @Test func negativeCoefficientStops() async {
    await #expect(processExitsWith: .failure) { _ = WeightDecay(-0.1) }
  }
}
