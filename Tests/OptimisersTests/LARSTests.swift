import Optimisers
import Testing

@Suite struct LARSTests {
  /// A zero-initialised leaf has ‖p‖ = 0, so its trust ratio is 1 and the first
  /// step is plain SGD: p = −η g.
  @Test func zeroLeafTakesAPlainStep() {
    let rule = LARS<Tensor<Double>>(learningRate: 0.1, trustCoefficient: 0.001, momentum: 0.9)
    var p = Tensor<Double>.zeros([3])
    var state = rule.initialState(for: p)
    rule.update(&state, &p, Tensor([1, -2, 0.5]))
    #expect(p == Tensor([-0.1, 0.2, -0.05]))
  }

  /// Elsewhere the step of each leaf has norm η · c · ‖p‖ (no momentum, ε = 0).
  @Test func stepNormIsTrustCoefficientTimesParameterNorm() {
    var random = SplitMix64(seed: 21)
    let rule = LARS<AffineModel<Double>>(learningRate: 2, trustCoefficient: 0.01, momentum: 0)
    let start = random.affine(Double.self)
    var p = start
    var state = rule.initialState(for: p)
    rule.update(&state, &p, Tangent(leaves: [random.tensor(p.weight.shape), random.tensor(p.bias.shape)]))
    for path in [\AffineModel<Double>.weight, \AffineModel<Double>.bias] {
      let step = (p[keyPath: path] - start[keyPath: path]).squared().sum().squareRoot()
      let expected = 2 * 0.01 * start[keyPath: path].squared().sum().squareRoot()
      #expect(abs(step - expected) <= 1e-12 * expected)
    }
  }
}
