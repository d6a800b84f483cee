import OptimiserLaws
import Optimisers
import Testing

/// ``AdaptiveGradientClip``: the clip by hand, optax's units for every rank,
/// the refusal of ranks above 5, the laws and thread-count independence (the
/// trajectories against optax are in `MARSTransformFixtureTests`).
@Suite struct AdaptiveGradientClipTests {
  typealias Model = AffineModel<Double>

  /// Column 0 (‖g‖ = 10, ‖p‖ = 5) is scaled to λ‖p‖ = 2.5; column 1 (‖p‖ = 0)
  /// to λε; the bias (‖g‖ = 0.1 < 0.5 · 2) passes unchanged.
  @Test func clipsEachColumnToAFractionOfItsParameterNorm() {
    let params = Model(weight: Tensor(shape: [2, 2], scalars: [3, 0, 4, 0]), bias: Tensor([2, 0]))
    var g = Tangent<Model>(leaves: [Tensor(shape: [2, 2], scalars: [6, 1, 8, 0]), Tensor([0.1, 0])])
    var state = NoState()
    AdaptiveGradientClip(0.5).transform(&state, &g, params)
    #expect(g.leaves[0].scalars == [1.5, 0.5 * 1e-3, 2, 0])
    #expect(g.leaves[1].scalars == [0.1, 0])
  }

  @Test func unitsFollowOptaxLayouts() {
    #expect(AdaptiveGradientClip.unitCount(ofShape: []) == 1)
    #expect(AdaptiveGradientClip.unitCount(ofShape: [7]) == 1)
    #expect(AdaptiveGradientClip.unitCount(ofShape: [1, 5]) == 1)
    #expect(AdaptiveGradientClip.unitCount(ofShape: [4, 5]) == 5)
    #expect(AdaptiveGradientClip.unitCount(ofShape: [2, 3, 4]) == 12)
    #expect(AdaptiveGradientClip.unitCount(ofShape: [3, 3, 2, 8]) == 8)
    #expect(AdaptiveGradientClip.unitCount(ofShape: [2, 3, 3, 2, 8]) == 8)
    #expect(AdaptiveGradientClip.unitCount(ofShape: [2, 2, 2, 2, 2, 4]) == nil)
  }

  @Test func refusesLeavesAboveRankFive() {
    let params = Tensor<Double>.zeros([2, 2, 2, 2, 2, 2])
    #expect(throws: OptimiserError.self) {
      try AdaptiveGradientClip(0.1).validate(NoState(), for: params)
    }
    #expect(throws: Never.self) { try AdaptiveGradientClip(0.1).validate(NoState(), for: Tensor<Double>.zeros([2, 3, 4])) }
  }

  @Test func rejectsNonPositiveHyperparameters() {
    var clip = AdaptiveGradientClip(0.1)
    clip.clipping = 0
    #expect(throws: OptimiserError.self) { try clip.validateHyperparameters() }
    clip = AdaptiveGradientClip(0.1)
    clip.epsilon = -1
    #expect(throws: OptimiserError.self) { try clip.validateHyperparameters() }
  }

  @Test func keepsTheLawsAndIsThreadCountIndependent() throws {
    let generator = ParameterGenerator<Model>.model(Model(weight: .zeros([3, 4]), bias: .zeros([3])))
    let configuration = LawConfiguration(seed: 0x14C, trials: 8, maximumSteps: 5)
    let report = OptimiserLaws.check(
      Chain(AdaptiveGradientClip(0.05), Adam<Model>(learningRate: 0.01)), parameters: generator,
      configuration: configuration)
    #expect(report.passed, "\(report)")
    try ThreadCountTests().check(Chain(AdaptiveGradientClip(0.05), Adam<AffineModel<Float>>(learningRate: 0.01)))
  }
}
