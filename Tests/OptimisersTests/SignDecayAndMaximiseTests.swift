import OptimiserLaws
import Optimisers
import Testing

/// The elementwise transforms of issue 14: ``SignDecay`` (Optimisers.jl) and
/// ``Maximise`` (`maximize=True`).
@Suite struct SignDecayAndMaximiseTests {
  typealias Model = AffineModel<Double>

  @Test func signDecayAddsLambdaTimesTheParametersSign() {
    var state = NoState()
    var g = Tensor<Double>([1, 1, 1, -2])
    SignDecay(0.5).transform(&state, &g, Tensor<Double>([3, 0, -0.25, -7]))
    #expect(g.scalars == [1.5, 1, 0.5, -2.5])
    #expect(SignDecay().coefficient == 1e-3)
  }

  @Test func signDecayThenSGDIsTheL1SubgradientStep() {
    let rule = Chain(SignDecay(0.1), SGD<Tensor<Double>>(learningRate: 0.5))
    var p = Tensor<Double>([2, -1, 0])
    var state = rule.initialState(for: p)
    rule.update(&state, &p, Tensor([0, 0, 1]))
    #expect(p.scalars == [2 - 0.05, -1 + 0.05, -0.5])
  }

  /// `Chain(Maximise(), rule)` takes the step `rule` takes on −g, bit for bit.
  @Test func maximiseIsTheRuleOnTheNegatedGradient() {
    let gradients = (0..<4).map { k in Tensor<Double>([Double(k) - 1.5, 2, -0.5 * Double(k)]) }
    let rule = Adam<Tensor<Double>>(learningRate: 0.1)
    var (a, b) = (Tensor<Double>([1, 2, 3]), Tensor<Double>([1, 2, 3]))
    let climbing = Chain(Maximise(), rule)
    var (s1, s2) = (climbing.initialState(for: a), rule.initialState(for: b))
    for g in gradients {
      climbing.update(&s1, &a, g)
      rule.update(&s2, &b, -g)
    }
    #expect(a.parametersBitwiseEqual(b))
  }

  @Test func bothKeepTheLawsTheyPromise() {
    let generator = ParameterGenerator<Model>.model(Model(weight: .zeros([3, 4]), bias: .zeros([3])))
    let configuration = LawConfiguration(seed: 0x14B, trials: 8, maximumSteps: 5)
    let maximising = OptimiserLaws.check(Chain(Maximise(), Adam<Model>(learningRate: 0.01)), parameters: generator, configuration: configuration)
    #expect(maximising.passed, "\(maximising)")
    // λ sign(p) moves p ≠ 0 without a gradient, as coupled weight decay does.
    let laws = Law.all.subtracting([.zeroGradientFixedPoint])
    let decayed = OptimiserLaws.check(
      Chain(SignDecay(1e-2), Momentum<Model>(learningRate: 0.01)), parameters: generator, laws: laws,
      configuration: configuration)
    #expect(decayed.passed && Set(decayed.checked) == laws, "\(decayed)")
  }

  @Test func aNegativeSignDecayIsRejected() {
    #expect(throws: OptimiserError.self) {
      var decay = SignDecay()
      decay.coefficient = -1
      try decay.validateHyperparameters()
    }
  }
}
