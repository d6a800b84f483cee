import Foundation
import Optimisers
import Testing

/// One reference trajectory from Tests/Fixtures/composition.json.
struct CompositionCase: Decodable, Sendable {
  struct Poison: Decodable, Sendable { var step: Int; var leaf: Int; var index: Int }
  var name: String
  var swift: String
  var reference: String
  var shapes: [[Int]]
  var initial: [[Double]]
  var gradients: [[[Double]]]
  var expected: [[[Double]]]
  var poison: [Poison]?
  var counts: [[Int]]?
  var slow: [[[Double]]]?
  var average: [[[Double]]]?

  typealias Model = AffineModel<Double>

  var model: Model {
    Model(weight: Tensor(shape: shapes[0], scalars: initial[0]), bias: Tensor(shape: shapes[1], scalars: initial[1]))
  }

  func gradient(_ step: Int) -> Tangent<Model> {
    var leaves = zip(shapes, gradients[step]).map { Tensor(shape: $0, scalars: $1) }
    for p in poison ?? [] where p.step == step {
      leaves[p.leaf].withUnsafeMutableBufferPointer { $0[p.index] = .nan }
    }
    return Tangent(leaves: leaves)
  }

  /// The largest relative difference between `values` and the reference leaves.
  static func error(_ values: [[Double]], _ reference: [[Double]]) -> Double {
    var worst = 0.0
    for (a, b) in zip(values, reference) {
      #expect(a.count == b.count)
      for (x, y) in zip(a, b) { worst = max(worst, relativeDifference(x, y)) }
    }
    return worst
  }

  /// Runs `optimiser` over the case; `inspect` sees the state after each step.
  /// Returns the largest relative error of the parameters.
  func run<O: Optimiser>(_ optimiser: O, inspect: (Int, O.State, Model) -> Double = { _, _, _ in 0 }) -> Double
  where O.Params == Model {
    var model = self.model
    var state = optimiser.initialState(for: model)
    var worst = 0.0
    for step in 0..<gradients.count {
      optimiser.update(&state, &model, gradient(step))
      let leaves = [model.weight.scalars, model.bias.scalars]
      worst = max(worst, CompositionCase.error(leaves, expected[step]), inspect(step, state, model))
    }
    return worst
  }
}

@Suite struct CompositionFixtureTests {
  typealias Model = AffineModel<Double>
  static let tolerance = 1e-10

  static let cases: [String: CompositionCase] = {
    struct File: Decodable { var cases: [CompositionCase] }
    let file = try! Fixtures.load(File.self, from: "composition.json")
    return Dictionary(uniqueKeysWithValues: file.cases.map { ($0.name, $0) })
  }()

  func fixture(_ name: String) throws -> CompositionCase {
    try #require(Self.cases[name], "missing fixture \(name)")
  }

  @Test func everyFixtureIsCovered() {
    #expect(Self.cases.count == 11)
  }

  @Test func chainClipValueAdam() throws {
    let c = try fixture("chain(clip, adam)")
    let error = c.run(Chain(ClipValue(1.0), Adam<Model>(learningRate: 0.01)))
    #expect(error < Self.tolerance, "\(c.name): \(error)")
  }

  @Test func chainClipGlobalNormSGD() throws {
    let c = try fixture("chain(clip_by_global_norm, sgd)")
    let error = c.run(Chain(ClipGlobalNorm(2.0), SGD<Model>(learningRate: 0.1)))
    #expect(error < Self.tolerance, "\(c.name): \(error)")
  }

  @Test func chainWeightDecaySGD() throws {
    let c = try fixture("chain(add_decayed_weights, sgd)")
    let error = c.run(Chain(WeightDecay(0.05), SGD<Model>(learningRate: 0.1)))
    #expect(error < Self.tolerance, "\(c.name): \(error)")
  }

  @Test func chainMaskedWeightDecaySGD() throws {
    let c = try fixture("chain(masked(add_decayed_weights), sgd)")
    let error = c.run(Chain(WeightDecay(0.05).masked { $0 == "weight" }, SGD<Model>(learningRate: 0.1)))
    #expect(error < Self.tolerance, "\(c.name): \(error)")
  }

  @Test func chainClipGlobalNormWeightDecayAdam() throws {
    let c = try fixture("chain(clip_by_global_norm, add_decayed_weights, adam)")
    let error = c.run(Chain(ClipGlobalNorm(1.0), WeightDecay(1e-2), Adam<Model>(learningRate: 1e-2)))
    #expect(error < Self.tolerance, "\(c.name): \(error)")
  }

  @Test func multiStepsAdam() throws {
    let c = try fixture("MultiSteps(every_k=3, adam)")
    let error = c.run(Accumulate(every: 3, Adam<Model>(learningRate: 0.05)))
    #expect(error < Self.tolerance, "\(c.name): \(error)")
  }

  @Test func applyIfFiniteAdam() throws {
    let c = try fixture("apply_if_finite(adam) with a NaN step")
    let counts = try #require(c.counts)
    let error = c.run(SkipNonFinite(Adam<Model>(learningRate: 0.05), maxConsecutive: 3)) { step, state, _ in
      #expect(state.nonFiniteSteps == counts[step][0], "total at step \(step)")
      #expect(state.consecutiveNonFiniteSteps == counts[step][1], "consecutive at step \(step)")
      return 0
    }
    #expect(error < Self.tolerance, "\(c.name): \(error)")
  }

  @Test func lookaheadSGD() throws {
    let c = try fixture("lookahead(sgd)")
    let slow = try #require(c.slow)
    let error = c.run(Lookahead(SGD<Model>(learningRate: 0.1), syncPeriod: 3, slowStepSize: 0.5)) { step, state, _ in
      CompositionCase.error(state.slow.leaves.map(\.scalars), slow[step])
    }
    #expect(error < Self.tolerance, "\(c.name): \(error)")
  }

  @Test func emaOfSGD() throws {
    let c = try fixture("ema(0.9, debias) of sgd")
    let average = try #require(c.average)
    let optimiser = ExponentialMovingAverage(SGD<Model>(learningRate: 0.1), decay: 0.9)
    let error = c.run(optimiser) { step, state, model in
      let averaged = optimiser.averagedParameters(state, like: model)
      return CompositionCase.error([averaged.weight.scalars, averaged.bias.scalars], average[step])
    }
    #expect(error < Self.tolerance, "\(c.name): \(error)")
  }

  @Test func torchParamGroups() throws {
    let c = try fixture("torch Adam param groups (two learning rates)")
    let error = c.run(Partition(Adam(learningRate: 0.01), for: \Model.bias, otherwise: Adam(learningRate: 0.05)))
    #expect(error < Self.tolerance, "\(c.name): \(error)")
  }

  @Test func torchAdamW() throws {
    let c = try fixture("torch AdamW")
    let error = c.run(DecoupledWeightDecay(0.1, Adam<Model>(learningRate: 0.05), learningRate: \.learningRate))
    #expect(error < Self.tolerance, "\(c.name): \(error)")
  }
}
