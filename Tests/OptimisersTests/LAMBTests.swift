import Optimisers
import Testing

@Suite struct LAMBTests {
  /// Each leaf moves by η‖p‖ per step, whatever the gradient's size (λ = 0).
  @Test func stepNormIsLearningRateTimesParameterNorm() {
    var random = SplitMix64(seed: 31)
    let rule = LAMB<AffineModel<Double>>(learningRate: 0.05)
    var p = random.affine(Double.self)
    var state = rule.initialState(for: p)
    for scale in [1e-3, 1.0, 1e3] {
      let before = p
      let g = Tangent<AffineModel<Double>>(leaves: [random.tensor(p.weight.shape), random.tensor(p.bias.shape)])
      rule.update(&state, &p, scale * g)
      for path in [\AffineModel<Double>.weight, \AffineModel<Double>.bias] {
        let step = (p[keyPath: path] - before[keyPath: path]).squared().sum().squareRoot()
        let expected = 0.05 * before[keyPath: path].squared().sum().squareRoot()
        #expect(abs(step - expected) <= 1e-12 * expected)
      }
    }
  }

  /// A zero leaf has trust ratio 1: the first step is −η g/(|g| + ε).
  @Test func zeroLeafTakesAnAdamStep() {
    let rule = LAMB<Tensor<Double>>(learningRate: 0.1, epsilon: 1e-6)
    var p = Tensor<Double>.zeros([2])
    var state = rule.initialState(for: p)
    rule.update(&state, &p, Tensor([2, -0.5]))
    #expect(abs(p[flat: 0] - -0.1 * 2 / (2 + 1e-6)) <= 1e-15)
    #expect(abs(p[flat: 1] - 0.1 * 0.5 / (0.5 + 1e-6)) <= 1e-15)
  }
}
