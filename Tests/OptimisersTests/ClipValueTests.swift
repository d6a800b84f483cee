import Optimisers
import Testing

@Suite struct ClipValueTests {
  func clips<S: ParameterScalar>(_: S.Type) {
    let params = Tensor<S>([1, 2, 3, 4, 5])
    var g = Tensor<S>([-3, 0.5, 2, -0.25, .nan])
    var state = NoState()
    ClipValue(1).transform(&state, &g, params)
    let s = g.scalars
    #expect(s[0] == -1 && s[1] == 0.5 && s[2] == 1 && s[3] == -0.25)
    #expect(s[4].isNaN)
  }

  @Test func clipsToTheBoundAndPassesNaN() {
    clips(Float.self)
    clips(Double.self)
  }

  @Test func inAChainTheRuleSeesClippedGradients() {
    var p = Tensor<Double>([0, 0, 0])
    let chain = Chain(ClipValue(0.5), SGD<Tensor<Double>>(learningRate: 1))
    var state = chain.initialState(for: p)
    chain.update(&state, &p, Tensor([2, -0.1, -7]))
    #expect(p.scalars == [-0.5, 0.1, 0.5])
  }

  @Test func zeroBoundZeroesTheGradient() {
    var g = Tensor<Double>([3, -2])
    var state = NoState()
    ClipValue(0).transform(&state, &g, Tensor<Double>([0, 0]))
    #expect(g.scalars == [0, 0])
  }

  @Test func negativeBoundStops() async {
    await #expect(processExitsWith: .failure) { _ = ClipValue(-1) }
  }
}
