import Optimisers
import Testing

@Suite struct SGDTests {
  func checkLaw<S: ParameterScalar>(_: S.Type) {
    var random = SplitMix64(seed: 201)
    for _ in 0..<25 {
      let rate = random.logUniform(in: 1e-4...1), decay = random.double(in: 0...1)
      let optimiser = SGD<AffineModel<S>>(learningRate: rate, decay: decay)
      var params = random.affine(S.self)
      var state = optimiser.initialState(for: params)
      for t in 0..<3 {
        let g = random.gradient(for: params)
        let before = params
        optimiser.update(&state, &params, g)
        // p′ = p − ηₜ·g exactly, with ηₜ = η / (1 + decay·t) rounded once to S.
        let eta = S(rate / (1 + decay * Double(t)))
        #expect(params.weight.bitPatternsEqual(before.weight - eta * g[\.weight]))
        #expect(params.bias.bitPatternsEqual(before.bias - eta * g[\.bias]))
      }
      #expect(state.step == 3)
    }
  }

  @Test func updateIsExactlyParameterMinusRateTimesGradient() {
    checkLaw(Float.self)
    checkLaw(Double.self)
  }

  @Test func defaultsFollowTheSeed() {
    let sgd = SGD<Tensor<Double>>()
    #expect(sgd.learningRate == 0.1 && sgd.decay == 0)
  }
}
