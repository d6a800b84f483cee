import OptimiserLaws
import Optimisers
import Testing

/// ``GradientCentralisation``: row means removed by hand, the conv-only
/// choice, the laws and thread-count independence (the trajectories against
/// pytorch-optimizer are in `MARSTransformFixtureTests`).
@Suite struct GradientCentralisationTests {
  typealias Model = AffineModel<Double>

  @Test func removesEachRowsMeanAndLeavesVectorsAlone() {
    let params = Model(weight: .zeros([2, 3]), bias: .zeros([3]))
    var g = Tangent<Model>(leaves: [Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 4, 7]), Tensor([1, 2, 6])])
    var state = NoState()
    GradientCentralisation().transform(&state, &g, params)
    #expect(g.leaves[0].scalars == [-1, 0, 1, -1, -1, 2])
    #expect(g.leaves[1].scalars == [1, 2, 6])
  }

  @Test func convolutionsOnlyCentralisesRankFourLeavesOnly() {
    let params = Model(weight: .zeros([2, 1, 1, 2]), bias: .zeros([2, 2]))
    var g = Tangent<Model>(leaves: [Tensor(shape: [2, 1, 1, 2], scalars: [1, 3, 5, 9]), Tensor(shape: [2, 2], scalars: [1, 3, 5, 9])])
    var state = NoState()
    GradientCentralisation(convolutionsOnly: true).transform(&state, &g, params)
    #expect(g.leaves[0].scalars == [-1, 1, -2, 2])
    #expect(g.leaves[1].scalars == [1, 3, 5, 9])
  }

  @Test func keepsTheLawsAndIsThreadCountIndependent() throws {
    let generator = ParameterGenerator<Model>.model(Model(weight: .zeros([3, 4]), bias: .zeros([3])))
    let configuration = LawConfiguration(seed: 0x14C0, trials: 8, maximumSteps: 5)
    let report = OptimiserLaws.check(
      Chain(GradientCentralisation(), Momentum<Model>(learningRate: 0.01)), parameters: generator,
      configuration: configuration)
    #expect(report.passed, "\(report)")
    try ThreadCountTests().check(Chain(GradientCentralisation(), Adam<AffineModel<Float>>(learningRate: 0.01)))
  }
}
