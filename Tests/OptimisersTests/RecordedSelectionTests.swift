import Optimisers
import Testing

/// Leaf selections (partitions, masks) are part of what a checkpoint records,
/// and restoring under another selection is an error that names it.
@Suite struct RecordedSelectionTests {
  typealias Model = AffineModel<Double>

  static func saved<O: Optimiser>(_ optimiser: O) throws -> (Checkpoint, Model) where O.Params == Model {
    let model: Model = affine(seed: 3)
    var state = optimiser.initialState(for: model)
    var params = model
    optimiser.update(&state, &params, Model.TangentVector(leaves: [.zeros(model.weight.shape), .zeros(model.bias.shape)]))
    return (try optimiser.checkpoint(state, for: params), params)
  }

  @Test func aPartitionByAnotherKeyPathIsRefused() throws {
    let byWeight = Partition(Frozen(), for: \Model.weight, otherwise: Adam(learningRate: 0.01))
    let byBias = Partition(Frozen(), for: \Model.bias, otherwise: Adam(learningRate: 0.01))
    let (checkpoint, model) = try Self.saved(byWeight)
    #expect(throws: CheckpointError.selectionMismatch(path: "Partition/selector", expected: "[bias]", found: "[weight]")) {
      try byBias.restore(from: checkpoint, for: model)
    }
    // The same selection, even written differently, restores.
    let byName = Partition<Model, _, _>(Frozen(), for: .named { $0 == "weight" }, otherwise: Adam(learningRate: 0.01))
    #expect(throws: Never.self) { try byName.restore(from: checkpoint, for: model) }
    // Hyperparameter policy .useOptimiser does not waive the selection.
    #expect(throws: CheckpointError.self) { try byBias.restore(from: checkpoint, for: model, hyperparameters: .useOptimiser) }
    do { _ = try byBias.restore(from: checkpoint, for: model) } catch {
      #expect(error.description.contains("selects [bias], but the checkpoint was written selecting [weight]"))
    }
  }

  @Test func swappingTheFrozenSideIsRefused() throws {
    let (checkpoint, model) = try Self.saved(Partition(Frozen(), for: \Model.weight, otherwise: Adam(learningRate: 0.01)))
    let swapped = Partition(Adam(learningRate: 0.01), for: \Model.weight, otherwise: Frozen())
    #expect(throws: CheckpointError.self) { try swapped.restore(from: checkpoint, for: model) }
  }

  @Test func aMaskWithAnotherPredicateIsRefused() throws {
    let weights = Chain(WeightDecay(1e-3).masked { $0.hasSuffix("weight") }, SGD<Model>(learningRate: 0.1))
    let biases = Chain(WeightDecay(1e-3).masked { $0.hasSuffix("bias") }, SGD<Model>(learningRate: 0.1))
    let everything = Chain(WeightDecay(1e-3).masked(.all), SGD<Model>(learningRate: 0.1))
    let (checkpoint, model) = try Self.saved(weights)
    #expect(throws: Never.self) { try weights.restore(from: checkpoint, for: model) }
    for other in [biases, everything] {
      do {
        _ = try other.restore(from: checkpoint, for: model)
        Issue.record("a changed mask restored")
      } catch {
        guard case .selectionMismatch(_, _, let found) = error else { Issue.record("\(error)"); continue }
        #expect(found == "[weight]")
      }
    }
  }

  @Test func versionOneCheckpointsAreComparedByTheSelectionsInTheirState() throws {
    // Format version 1 recorded a selector only as "LeafSelector"; the state's
    // own leaf lists and masks still say what was selected.
    let byWeight = Partition(Frozen(), for: \Model.weight, otherwise: Adam(learningRate: 0.01))
    let byBias = Partition(Frozen(), for: \Model.bias, otherwise: Adam(learningRate: 0.01))
    var (checkpoint, model) = try Self.saved(byWeight)
    checkpoint.formatVersion = 1
    if let index = checkpoint.optimiser?.components.firstIndex(where: { $0.label == "selector" }) {
      checkpoint.optimiser?.components[index].description.name = "LeafSelector"
    }
    #expect(throws: Never.self) { try byWeight.restore(from: checkpoint, for: model) }
    do {
      _ = try byBias.restore(from: checkpoint, for: model)
      Issue.record("a version 1 checkpoint restored under another partition")
    } catch {
      guard case .selectionMismatch(let path, _, _) = error else { Issue.record("\(error)"); return }
      #expect(path == "selectedLeaves" || path == "restLeaves", "\(error)")
    }
    let masked = Chain(WeightDecay(1e-3).masked { $0 == "weight" }, SGD<Model>(learningRate: 0.1))
    var (maskCheckpoint, _) = try Self.saved(masked)
    maskCheckpoint.formatVersion = 1
    maskCheckpoint.optimiser = OptimiserDescription(describing: masked)
    let other = Chain(WeightDecay(1e-3).masked { $0 == "bias" }, SGD<Model>(learningRate: 0.1))
    #expect(throws: Never.self) { try masked.restore(from: maskCheckpoint, for: model) }
    #expect(throws: CheckpointError.self) { try other.restore(from: maskCheckpoint, for: model) }
  }

  @Test func theDescriptionListsTheSelectedLeaves() throws {
    let (checkpoint, _) = try Self.saved(Partition(Frozen(), for: \Model.bias, otherwise: SGD(learningRate: 0.1)))
    let selector = checkpoint.optimiser?.components.first { $0.label == "selector" }?.description.name
    #expect(selector == "LeafSelector[bias]")
    #expect(checkpoint.formatVersion == 2)
  }
}
