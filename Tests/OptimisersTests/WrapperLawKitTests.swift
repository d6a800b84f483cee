import Foundation
import OptimiserLaws
import Optimisers
import Testing

/// The composition wrappers through the law kit, each with the laws it
/// promises: a global-norm clip couples the leaves (and the kit catches it when
/// asked), decoupled weight decay moves on a zero gradient, everything else
/// keeps every law.
@Suite struct WrapperLawKitTests {
  typealias Model = AffineModel<Double>
  static var generator: ParameterGenerator<Model> { .model(Model(weight: .zeros([3, 4]), bias: .zeros([3]))) }
  static let configuration = LawConfiguration(seed: 0x3A_11, trials: 10, maximumSteps: 5)

  func expectPasses<O: Optimiser>(_ optimiser: O, laws: Set<Law> = Law.all) where O.Params == Model {
    let report = OptimiserLaws.check(optimiser, parameters: Self.generator, laws: laws, configuration: Self.configuration)
    #expect(report.passed, "\(report)")
    #expect(Set(report.checked) == laws)
  }

  @Test func elementwiseChainsKeepEveryLawButWeightDecayMovesOnAZeroGradient() {
    expectPasses(Chain(ClipValue(0.5), Adam<Model>(learningRate: 0.01)))
    // Coupled weight decay adds λp to the gradient, so a zero gradient moves
    // p ≠ 0: the kit finds it and shrinks it to one nonzero parameter.
    let decayed = Chain(ClipValue(0.5), WeightDecay(1e-2), Adam<Model>(learningRate: 0.01))
    let report = OptimiserLaws.check(decayed, parameters: Self.generator, configuration: Self.configuration)
    #expect(report.violations.map(\.law) == [.zeroGradientFixedPoint], "\(report)")
    if let example = report.violation(of: .zeroGradientFixedPoint)?.counterexample {
      #expect(example.leafShapes.allSatisfy { $0.allSatisfy { $0 == 1 } }, "\(example)")
      #expect(example.parameters.joined().filter { $0 != 0 } == [1], "\(example)")
    }
    expectPasses(decayed, laws: Law.all.subtracting([.zeroGradientFixedPoint]))
    expectPasses(Chain(WeightDecay(1e-3), Momentum<Model>(learningRate: 0.01)), laws: Law.all.subtracting([.zeroGradientFixedPoint]))
  }

  @Test func globalNormClippingCouplesTheLeavesAndTheKitSaysSo() {
    let clipped = Chain(ClipGlobalNorm(0.1), SGD<Model>(learningRate: 0.1))
    let report = OptimiserLaws.check(clipped, parameters: Self.generator, configuration: Self.configuration)
    let violation = report.violation(of: .leafIndependence)
    #expect(violation != nil, "\(report)")
    #expect(report.violations.count == 1, "\(report)")
    if let violation {
      #expect(violation.counterexample.leafShapes == [[1, 1], [1]], "\(violation)")
      #expect(violation.counterexample.steps == 1, "\(violation)")
    }
    expectPasses(clipped, laws: Law.all.subtracting([.leafIndependence]))
  }

  @Test func decoupledWeightDecayMovesOnAZeroGradient() {
    let adamW = DecoupledWeightDecay(0.1, Adam<Model>(learningRate: 0.01), learningRate: \.learningRate)
    let report = OptimiserLaws.check(adamW, parameters: Self.generator, configuration: Self.configuration)
    #expect(report.violations.map(\.law) == [.zeroGradientFixedPoint], "\(report)")
    expectPasses(adamW, laws: Law.all.subtracting([.zeroGradientFixedPoint]))
  }

  @Test func statefulWrappersKeepEveryLaw() {
    expectPasses(Accumulate(every: 2, Adam<Model>(learningRate: 0.01)))
    expectPasses(Lookahead(Momentum<Model>(learningRate: 0.05), syncPeriod: 2, slowStepSize: 0.5))
    expectPasses(ExponentialMovingAverage(SGD<Model>(learningRate: 0.1), decay: 0.9))
    expectPasses(SkipNonFinite(Chain(ClipValue(1), Adam<Model>(learningRate: 0.01)), policy: .skip))
  }

  @Test func wrapperCheckpointsDescribeTheirStructure() throws {
    let rule = Chain(ClipValue(0.5), WeightDecay(1e-2), Adam<Model>(learningRate: 0.01))
    var random = SplitMix64(seed: 8)
    var model: Model = random.affine()
    var state = rule.initialState(for: model)
    for _ in 0..<2 { rule.update(&state, &model, random.gradient(for: model)) }
    let checkpoint = try rule.checkpoint(state, for: model)
    #expect(checkpoint.optimiser?.name == "Chain")
    let restored = try rule.restore(from: Checkpoint(decoding: checkpoint.encoded()), for: model)
    #expect(try StateTree(encoding: restored) == StateTree(encoding: state))
    let otherClip = Chain(ClipValue(0.25), WeightDecay(1e-2), Adam<Model>(learningRate: 0.01))
    do {
      _ = try otherClip.restore(from: checkpoint, for: model)
      Issue.record("a different clip bound restored")
    } catch {
      guard case .hyperparameterMismatch(let path, _, let expected, let found) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(path.hasPrefix("Chain/") && expected == 0.25 && found == 0.5, "\(error)")
    }
    let json = try JSONDecoder().decode(Checkpoint.self, from: JSONEncoder().encode(checkpoint))
    #expect(try StateTree(encoding: rule.restore(from: json, for: model)) == StateTree(encoding: state))
  }
}
