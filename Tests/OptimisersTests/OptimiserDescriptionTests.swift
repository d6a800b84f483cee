import Foundation
import Optimisers
import Testing

/// Descriptions of rules and wrappers, by reflection or by conformance, and
/// their comparison.
@Suite struct OptimiserDescriptionTests {
  /// A wrapper of two rules in a tuple plus a mode, to exercise reflection.
  struct Pair<A: Optimiser, B: Optimiser>: Sendable {
    enum Mode: Sendable { case alternate, first }
    var members: (A, B)
    var mode: Mode
    var every: Int
    var label = "not recorded"
  }

  struct Custom: CheckpointDescribable {
    var checkpointDescription: OptimiserDescription {
      OptimiserDescription(name: "MyRule", hyperparameters: [.init(name: "rate", value: 3)])
    }
  }

  @Test func reflectionRecordsNumbersAndComponentsInOrder() {
    let description = OptimiserDescription(describing: Adam<Tensor<Double>>(learningRate: 0.01))
    #expect(description.name == "Adam")
    #expect(description.hyperparameters.map(\.name) == ["learningRate", "beta1", "beta2", "epsilon", "decay"])
    #expect(description.hyperparameters.map(\.value) == [0.01, 0.9, 0.999, 1e-8, 0])
    #expect(description.components.isEmpty)
    #expect(description.description == "Adam(learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-08, decay: 0.0)")

    let pair = Pair(members: (SGD<Tensor<Float>>(learningRate: 0.5), Momentum<Tensor<Float>>()), mode: .first, every: 3)
    let nested = OptimiserDescription(describing: pair)
    #expect(nested.name == "Pair")
    #expect(nested.hyperparameters == [.init(name: "every", value: 3)])
    #expect(nested.components.map(\.label) == ["members.0", "members.1", "mode"])
    #expect(nested.components[0].description.name == "SGD")
    #expect(nested.components[2].description.name == "Mode.first")
  }

  @Test func conformanceOverridesReflection() {
    #expect(OptimiserDescription(describing: Custom()) == OptimiserDescription(name: "MyRule", hyperparameters: [.init(name: "rate", value: 3)]))
  }

  @Test func firstDifferenceNamesThePath() {
    let a = OptimiserDescription(describing: Pair(members: (SGD<Tensor<Float>>(learningRate: 0.5), Momentum<Tensor<Float>>()), mode: .first, every: 3))
    let b = OptimiserDescription(describing: Pair(members: (SGD<Tensor<Float>>(learningRate: 0.5), Momentum<Tensor<Float>>(momentum: 0.5)), mode: .first, every: 3))
    let c = OptimiserDescription(describing: Pair(members: (SGD<Tensor<Float>>(learningRate: 0.5), Nesterov<Tensor<Float>>()), mode: .first, every: 3))
    #expect(a.firstDifference(from: a) == nil)
    #expect(a.firstDifference(from: b) == .hyperparameterMismatch(
      path: "Pair/members.1", name: "momentum", expected: 0.9, found: 0.5))
    #expect(a.firstDifference(from: b, compareValues: false) == nil)
    #expect(a.firstDifference(from: c) == .ruleMismatch(path: "Pair/members.1", expected: "Momentum", found: "Nesterov"))
    var missing = a
    missing.hyperparameters.removeAll()
    #expect(a.firstDifference(from: missing)?.description.contains("missing from the checkpoint: [\"every\"]") == true)
  }

  @Test func scheduledWrappersRecordTheirScheduleAndTarget() throws {
    typealias Rule = Scheduled<Adam<Tensor<Double>>, CosineDecay>
    let rule = Rule(Adam(learningRate: 0.1), \.learningRate, by: CosineDecay(initial: 0.1, decaySteps: 100))
    let description = OptimiserDescription(describing: rule)
    #expect(description.name == "Scheduled")
    #expect(description.components.map(\.label) == ["base", "schedules.0", "keyPaths.0"])
    #expect(description.components[1].description.name == "CosineDecay")
    #expect(description.components[2].description.name == "\\Adam.learningRate")

    var params = Tensor<Double>([1, 2])
    var state = rule.initialState(for: params)
    for _ in 0..<3 { rule.update(&state, &params, Tensor([0.5, -0.5])) }
    let checkpoint = try rule.checkpoint(state, for: params)
    #expect(checkpoint.step == 3)
    let restored = try rule.restore(from: Checkpoint(decoding: checkpoint.encoded()), for: params)
    #expect(try StateTree(encoding: restored) == StateTree(encoding: state))

    let longer = Rule(Adam(learningRate: 0.1), \.learningRate, by: CosineDecay(initial: 0.1, decaySteps: 200))
    #expect(throws: CheckpointError.hyperparameterMismatch(path: "Scheduled/schedules.0", name: "decaySteps", expected: 200, found: 100)) {
      try longer.restore(from: checkpoint, for: params)
    }
    let other = Rule(Adam(learningRate: 0.1), \.beta1, by: CosineDecay(initial: 0.1, decaySteps: 100))
    #expect(throws: CheckpointError.ruleMismatch(path: "Scheduled/keyPaths.0", expected: "\\Adam.beta1", found: "\\Adam.learningRate")) {
      try other.restore(from: checkpoint, for: params)
    }
  }
}
