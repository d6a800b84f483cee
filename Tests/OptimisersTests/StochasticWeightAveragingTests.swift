import Foundation
import OptimiserLaws
import Optimisers
import Testing

/// ``StochasticWeightAveraging`` and ``SWALR`` against torch
/// (`generate_mars_transform_fixtures.py`): SGD driven by SWALR with
/// `AveragedModel` from step *s* every *k* steps — the training and the
/// averaged parameters after every step — and SWALR's rates alone; then the
/// laws, resumption and thread-count independence.
@Suite struct StochasticWeightAveragingTests {
  typealias Model = AffineModel<Double>

  struct Trace: Decodable {
    let reference: String
    let initial, swaRate: Double
    let annealSteps: Int
    let annealing: String
    let rates: [Double]
  }

  struct TraceFile: Decodable { let traces: [Trace] }

  static let cases = MARSTransformFixtureTests.cases.filter { $0.rule == "StochasticWeightAveraging" }

  @Test func swalrMatchesTorchsRates() throws {
    let file = try Fixtures.load(TraceFile.self, from: "swalr.json")
    #expect(file.traces.count == 4)
    for trace in file.traces {
      let schedule = SWALR(
        initial: trace.initial, swaRate: trace.swaRate, annealSteps: trace.annealSteps,
        annealing: try #require(SWALR.Annealing(rawValue: trace.annealing)))
      for (k, want) in trace.rates.enumerated() {
        #expect(abs(schedule(k) - want) <= 1e-12 * abs(want), "\(trace.reference) at step \(k)")
      }
    }
  }

  /// Both precisions: the averaged parameters after every step, within 1e-10
  /// (`Double`) and 1e-4 (`Float`) relative.
  @Test(arguments: cases)
  func averagedParametersMatchTorch(_ c: FixtureCase) throws {
    let file = try Fixtures.load(RecentRuleFixtureTests.EvaluationFile.self, from: "mars_transforms.json")
    let entry = try #require(file.cases.first { $0.name == c.name })
    let want64 = try #require(entry.evaluation), want32 = try #require(entry.evaluation32)
    let got64 = try averages(c, Double.self), got32 = try averages(c, Float.self)
    #expect(got64.count == want64.count && got32.count == want32.count)
    let recent = RecentRuleFixtureTests()
    let error64 = recent.worst(got64, want64, floor: ReferenceFixtureTests.doubleFloor, tracksScale: false)
    let error32 = recent.worst(got32, want32, floor: ReferenceFixtureTests.floatFloor, tracksScale: true)
    #expect(error64 <= ReferenceFixtureTests.doubleTolerance, "\(c.name): float64 average differs by \(error64)")
    #expect(error32 <= ReferenceFixtureTests.floatTolerance, "\(c.name): float32 average differs by \(error32)")
  }

  static func make<P: Differentiable>(_ c: FixtureCase, _: P.Type) throws -> StochasticWeightAveraging<Scheduled<SGD<P>, SWALR>> {
    let rate = try c.number("learningRate")
    let schedule = SWALR(
      initial: rate, swaRate: try c.number("swaRate"), annealSteps: Int(try c.number("annealSteps")),
      annealing: try #require(SWALR.Annealing(rawValue: try c.option("annealing"))))
    return StochasticWeightAveraging(
      Scheduled(SGD<P>(learningRate: rate), \.learningRate, by: schedule), start: Int(try c.number("start")),
      every: Int(try c.number("every")))
  }

  func averages<S: ParameterScalar>(_ c: FixtureCase, _: S.Type) throws -> [[[Double]]] {
    let gradients = try #require(c.gradients)
    func tensors(_ leaves: [[Double]]) -> [Tensor<S>] {
      zip(c.shapes, leaves).map { Tensor(shape: $0, scalars: $1.map { S($0) }) }
    }
    let start = tensors(c.initial)
    var model = AffineModel<S>(weight: start[0], bias: start[1])
    let optimiser = try Self.make(c, AffineModel<S>.self)
    var state = optimiser.initialState(for: model)
    var result: [[[Double]]] = []
    for g in gradients {
      optimiser.update(&state, &model, Tangent(leaves: tensors(g)))
      let x = optimiser.averagedParameters(state, like: model)
      result.append((0..<x.parameterLeafCount).map { leaf in x.withParameterLeaf(at: leaf) { $0.map { Double($0) } } })
    }
    return result
  }

  @Test func keepsTheLawsAndIsThreadCountIndependent() throws {
    let generator = ParameterGenerator<Model>.model(Model(weight: .zeros([3, 4]), bias: .zeros([3])))
    let configuration = LawConfiguration(seed: 0x5A, trials: 8, maximumSteps: 6)
    let report = OptimiserLaws.check(
      StochasticWeightAveraging(Adam<Model>(learningRate: 0.01), start: 2, every: 2), parameters: generator,
      configuration: configuration)
    #expect(report.passed, "\(report)")
    try ThreadCountTests().check(StochasticWeightAveraging(Momentum<AffineModel<Float>>(learningRate: 0.01), start: 2))
  }

  @Test func rejectsBadSettingsAndStates() {
    var swa = StochasticWeightAveraging(SGD<Model>(), start: 3, every: 2)
    swa.every = 0
    #expect(throws: OptimiserError.self) { try swa.validateHyperparameters() }
    swa.every = 1
    let model = Model(weight: .zeros([2]), bias: .zeros([1]))
    var state = swa.initialState(for: model)
    state.averaged = 1
    #expect(throws: OptimiserError.self) { try swa.validate(state, for: model) }
  }
}
