import OptimiserLaws
import Optimisers
import Testing

/// Independent optimisers run in parallel tasks with bitwise the results of
/// sequential runs; the public types are `Sendable` (checked by the compiler).
@Suite struct ConcurrencyTests {
  /// Compiles only if `T` is `Sendable`.
  static func requireSendable<T: Sendable>(_: T.Type) {}

  @Test func publicTypesAreSendable() async throws {
    typealias Model = AffineModel<Float>
    Self.requireSendable(Tensor<Float>.self)
    Self.requireSendable(Tangent<Model>.self)
    Self.requireSendable(SplitMix64.self)
    Self.requireSendable(SGD<Model>.self)
    Self.requireSendable(SGD<Model>.State.self)
    Self.requireSendable(Momentum<Model>.self)
    Self.requireSendable(Momentum<Model>.State.self)
    Self.requireSendable(Nesterov<Model>.self)
    Self.requireSendable(Nesterov<Model>.State.self)
    Self.requireSendable(Adam<Model>.self)
    Self.requireSendable(Adam<Model>.State.self)
    Self.requireSendable(OptimiserError.self)
    Self.requireSendable(IdentityGradientMap.self)
    Self.requireSendable(ParameterList<Model>.self)
    Self.requireSendable(ParameterLeaf<Model>.self)
    Self.requireSendable(ParameterLeaf<Model>.Path.self)
    Self.requireSendable(CheckpointFile.self)
    Self.requireSendable(OptimiserLaws.self)
    Self.requireSendable(DecodingFuzzer.self)
    Self.requireSendable(Checkpoint.self)
    Self.requireSendable(Checkpoint.Leaf.self)
    Self.requireSendable(Checkpoint.HyperparameterPolicy.self)
    Self.requireSendable(CheckpointError.self)
    Self.requireSendable(OptimiserDescription.self)
    Self.requireSendable(StateTree.self)
    Self.requireSendable(CRC32.self)
    Self.requireSendable(Law.self)
    Self.requireSendable(LawReport.self)
    Self.requireSendable(LawViolation.self)
    Self.requireSendable(LawConfiguration.self)
    Self.requireSendable(Counterexample.self)
    Self.requireSendable(ParameterGenerator<Model>.self)
    Self.requireSendable(DecodingFuzzReport.self)
    // The checks above are the compiler's; values also cross task boundaries intact.
    let adam = Adam<Tensor<Float>>()
    let params = Tensor<Float>(randomNormal: [3], seed: 1)
    let checkpoint = try adam.checkpoint(adam.initialState(for: params), for: params)
    let echoed = await Task.detached { checkpoint }.value
    #expect(echoed == checkpoint)
  }

  /// One training run: model `index`, its own seed, `steps` Adam steps on a
  /// least-squares loss.
  static func train(_ index: Int, steps: Int = 40) -> (AffineModel<Double>, Adam<AffineModel<Double>>.State) {
    var random = SplitMix64(seed: 1000 + UInt64(index))
    var model: AffineModel<Double> = random.affine()
    let adam = Adam<AffineModel<Double>>(learningRate: 0.01 * Double(index + 1))
    var state = adam.initialState(for: model)
    for _ in 0..<steps { adam.update(&state, &model, random.gradient(for: model)) }
    return (model, state)
  }

  @Test func eightModelsInATaskGroupMatchTheirSequentialRunsBitwise() async throws {
    let sequential = (0..<8).map { Self.train($0) }
    let parallel = await withTaskGroup(of: (Int, AffineModel<Double>, Adam<AffineModel<Double>>.State).self) { group in
      for index in 0..<8 {
        group.addTask { let (model, state) = Self.train(index); return (index, model, state) }
      }
      var results: [Int: (AffineModel<Double>, Adam<AffineModel<Double>>.State)] = [:]
      for await (index, model, state) in group { results[index] = (model, state) }
      return results
    }
    #expect(parallel.count == 8)
    for index in 0..<8 {
      guard let (model, state) = parallel[index] else { Issue.record("model \(index) missing"); continue }
      #expect(model.parametersBitwiseEqual(sequential[index].0), "model \(index) differs")
      #expect(try StateTree(encoding: state) == StateTree(encoding: sequential[index].1), "state \(index) differs")
    }
  }

  /// Model `index` trained with catalogue rule `index`; returns the parameters'
  /// and the state's bit patterns.
  static func trainCatalogueRule(_ index: Int) throws -> ([Float], StateTree) {
    var random = SplitMix64(seed: 2000 + UInt64(index))
    let optimiser = RuleCatalogue.all[index].make(for: AffineModel<Float>.self, using: &random)
    return try train(optimiser, &random)
  }

  static func train<O: Optimiser>(_ optimiser: O, _ random: inout SplitMix64) throws -> ([Float], StateTree)
  where O.Params == AffineModel<Float> {
    var model: AffineModel<Float> = random.affine()
    var state = optimiser.initialState(for: model)
    for _ in 0..<20 { optimiser.update(&state, &model, random.gradient(for: model)) }
    return (model.flattenedParameters, try StateTree(encoding: state))
  }

  @Test func everyCatalogueRuleTrainsInParallelExactlyAsInSequence() async throws {
    let count = RuleCatalogue.all.count
    let sequential = try (0..<count).map { try Self.trainCatalogueRule($0) }
    let parallel = try await withThrowingTaskGroup(of: (Int, [Float], StateTree).self) { group in
      for index in 0..<count {
        group.addTask { let (p, s) = try Self.trainCatalogueRule(index); return (index, p, s) }
      }
      var results: [Int: ([Float], StateTree)] = [:]
      for try await (index, p, s) in group { results[index] = (p, s) }
      return results
    }
    for index in 0..<count {
      let name = RuleCatalogue.all[index].name
      guard let (p, s) = parallel[index] else { Issue.record("\(name) missing"); continue }
      #expect(p.map(\.bitPattern) == sequential[index].0.map(\.bitPattern), "\(name): parameters differ")
      #expect(s == sequential[index].1, "\(name): state differs")
    }
  }

  @Test func checkpointsWrittenAndReadInParallelTasksRoundTrip() async throws {
    let results = try await withThrowingTaskGroup(of: Bool.self) { group in
      for index in 0..<8 {
        group.addTask {
          let (model, state) = Self.train(index, steps: 5)
          let adam = Adam<AffineModel<Double>>(learningRate: 0.01 * Double(index + 1))
          let bytes = try adam.checkpoint(state, for: model).encoded()
          return try adam.restore(from: Checkpoint(decoding: bytes), for: model) == state
        }
      }
      var all: [Bool] = []
      for try await result in group { all.append(result) }
      return all
    }
    #expect(results == Array(repeating: true, count: 8))
  }
}
