import Optimisers
import Testing

@Suite struct AdamTests {
  /// After one step m̂ = g and v̂ = g², so |Δp| = η|g| / (|g| + ε) ≈ η where
  /// |g| ≫ ε.
  func checkFirstStep<S: ParameterScalar>(_: S.Type, tolerance: Double) {
    var random = SplitMix64(seed: 501)
    for _ in 0..<20 {
      let rate = random.logUniform(in: 1e-4...0.1)
      let optimiser = Adam<AffineModel<S>>(learningRate: rate, beta1: random.double(in: 0...0.99), beta2: random.double(in: 0.5...0.9999))
      let start = random.affine(S.self)
      var params = start
      var state = optimiser.initialState(for: params)
      var g = params.zeroTangentVector
      g[\.weight] = Tensor(repeating: S(random.double(in: 0.01...100)), shape: params.weight.shape)
      g[\.bias] = Tensor(repeating: -S(random.double(in: 0.01...100)), shape: params.bias.shape)
      optimiser.update(&state, &params, g)
      let moved = zip(params.flattenedParameters, start.flattenedParameters).map { Double(abs($0 - $1)) }
      for step in moved { #expect(abs(step - rate) <= tolerance * rate, "step \(step) vs η \(rate)") }
    }
  }

  @Test func firstStepHasMagnitudeLearningRate() {
    checkFirstStep(Float.self, tolerance: 1e-3)
    checkFirstStep(Double.self, tolerance: 1e-6)
  }

  @Test func nonFiniteGradientsPropagateAsInTheReferences() {
    let optimiser = Adam<Tensor<Double>>(learningRate: 0.1)
    var p = Tensor<Double>([1, 2, 3])
    var state = optimiser.initialState(for: p)
    optimiser.update(&state, &p, Tensor([.nan, 1, .infinity]))
    #expect(p[flat: 0].isNaN)
    #expect(p[flat: 1].isFinite)
    #expect(!p[flat: 2].isFinite)
  }

  @Test func defaultsAreThePapers() {
    let adam = Adam<Float>()
    #expect(adam.learningRate == 0.001 && adam.beta1 == 0.9 && adam.beta2 == 0.999 && adam.epsilon == 1e-8 && adam.decay == 0)
  }
}
