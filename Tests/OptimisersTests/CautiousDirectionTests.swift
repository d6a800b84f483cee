import OptimiserLaws
import Optimisers
import Testing

/// ``Cautious`` over a ``DirectionExposingRule`` (``ADOPT``, ``MARS``): the
/// mask sees the base's direction before it is applied.
@Suite struct CautiousDirectionTests {
  /// A base that hides ADOPT's direction, so `Cautious` takes its fallback
  /// (the step recovered as p_before − p_after).
  struct Hidden<Base: Optimiser>: Optimiser {
    var base: Base
    func initialState(for params: Base.Params) -> Base.State { base.initialState(for: params) }
    func update<Map: GradientMap>(
      _ state: inout Base.State, _ params: inout Base.Params, _ gradient: Base.Params.TangentVector,
      preprocessing map: Map
    ) { base.update(&state, &params, gradient, preprocessing: map) }
    func validate(_ state: Base.State, for params: Base.Params) throws(OptimiserError) {
      try base.validate(state, for: params)
    }
    func validateHyperparameters() throws(OptimiserError) { try base.validateHyperparameters() }
  }

  /// ADOPT's second step is η·m with m = (1 − β₁)·1 = 0.1 on both elements
  /// (v = g² = 1 after the first). At p = 1024 in `Float` the step 1e-5 is
  /// below half an ulp (6.1e-5): the exposed direction still counts it as
  /// agreeing, so k = 2 and the second element moves by η·0.1·2/3; recovered
  /// after the fact it is lost, k = 1, and the second element moves by η·0.1.
  @Test func aStepBelowHalfAnUlpStillCountsAsAgreeing() {
    let adopt = ADOPT<Tensor<Float>>(learningRate: 1e-4, variant: .pytorchOptimizer)
    func twoSteps<O: Optimiser>(_ rule: O) -> [Float] where O.Params == Tensor<Float> {
      var p = Tensor<Float>([1024, 0.001])
      var state = rule.initialState(for: p)
      for _ in 0..<2 { rule.update(&state, &p, Tensor([1, 1])) }
      return p.scalars
    }
    let exposed = twoSteps(Cautious(adopt)), recovered = twoSteps(Cautious(Hidden(base: adopt)))
    #expect(exposed[0] == 1024 && recovered[0] == 1024)
    #expect(abs(Double(exposed[1]) - (0.001 - 1e-5 * 2 / 3)) < 1e-10, "\(exposed)")
    #expect(abs(Double(recovered[1]) - (0.001 - 1e-5)) < 1e-10, "\(recovered)")
  }

  /// In `Double` the two paths agree to rounding on a model whose steps are
  /// far above an ulp, Nesterov and the optax clip included; and the exposed
  /// path keeps ADOPT's state exactly as the bare rule does.
  @Test func agreesWithTheRecoveredStepInDouble() {
    typealias Model = AffineModel<Double>
    let adopt = ADOPT<Model>(learningRate: 0.05, beta1: 0.8, nesterov: true)
    var random = SplitMix64(seed: 0xCA_D1)
    let start: Model = random.affine()
    let gradients = (0..<6).map { _ in random.gradient(for: start) }
    var (a, b, bare) = (start, start, start)
    let (exposed, hidden) = (Cautious(adopt), Cautious(Hidden(base: adopt)))
    var (sa, sb, sBare) = (exposed.initialState(for: a), hidden.initialState(for: b), adopt.initialState(for: bare))
    for g in gradients {
      exposed.update(&sa, &a, g)
      hidden.update(&sb, &b, g)
      adopt.update(&sBare, &bare, g)
    }
    for (x, y) in zip(a.weight.scalars + a.bias.scalars, b.weight.scalars + b.bias.scalars) {
      #expect(abs(x - y) <= 1e-13 * max(abs(x), abs(y), 1))
    }
    #expect(!a.parametersBitwiseEqual(bare), "the mask must change something")
    #expect(sa.firstMoment == sBare.firstMoment && sa.secondMoment == sBare.secondMoment && sa.step == sBare.step)
  }

  /// The exposed path passes the law kit, resumes bit-exactly from both
  /// checkpoint formats and is bitwise the same for every thread count (MARS's
  /// two passes included).
  @Test func keepsTheLawsResumesAndIgnoresThreads() throws {
    typealias Model = AffineModel<Float>
    let rule = Cautious(ADOPT<Model>(learningRate: 0.01, variant: .pytorchOptimizer))
    let generator = ParameterGenerator<Model>.model(Model(weight: .zeros([3, 4]), bias: .zeros([3])))
    let report = OptimiserLaws.check(rule, parameters: generator, configuration: LawConfiguration(seed: 0xCD, trials: 8))
    #expect(report.passed, "\(report)")
    var random = SplitMix64(seed: 0xCD_01)
    let model: Model = random.affine()
    try expectResumesBitExactlyFromBothFormats(rule, model, steps: 3, random: &random) { $0.gradient(for: model) }
    try ThreadCountTests().check(rule)
    try ThreadCountTests().check(Cautious(MARS<Model>(optimiseAllLeaves: true)))
    try ThreadCountTests().check(Cautious(MARS<Model>(form: .shampoo)))
  }
}
