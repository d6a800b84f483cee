import Optimisers
import Testing

/// NaN, ∞ and negative second moments in a checkpoint are refused on restore,
/// naming the buffer and the leaf, unless accepted on purpose; SkipNonFinite
/// can check the state a step produces.
@Suite struct PoisonedStateTests {
  typealias Model = AffineModel<Double>

  static func checkpoint(poisoning buffer: String, leaf: Int, index: Int, with value: Double) throws -> (Adam<Model>, Checkpoint, Model) {
    let adam = Adam<Model>(learningRate: 0.01)
    var model: Model = affine(seed: 4)
    var state = adam.initialState(for: model)
    adam.update(&state, &model, Model.TangentVector(leaves: [Tensor(repeating: 1, shape: model.weight.shape), Tensor(repeating: 1, shape: model.bias.shape)]))
    if buffer == "firstMoment" {
      state.firstMoment.leaves[leaf].withUnsafeMutableBufferPointer { $0[index] = value }
    } else {
      state.secondMoment.leaves[leaf].withUnsafeMutableBufferPointer { $0[index] = value }
    }
    return (adam, try adam.checkpoint(state, for: model, includingParameters: true), model)
  }

  @Test func nonFiniteBuffersAreRefusedNamingTheLeaf() throws {
    let (adam, checkpoint, model) = try Self.checkpoint(poisoning: "firstMoment", leaf: 1, index: 1, with: .nan)
    do {
      _ = try adam.restore(from: checkpoint, for: model)
      Issue.record("a NaN moment restored")
    } catch {
      guard case let .poisonedValue(buffer, leaf, index, value, _) = error else { Issue.record("\(error)"); return }
      #expect(buffer == "firstMoment" && leaf == "bias" && index == 1 && value.isNaN)
      #expect(error.description.contains("nonFiniteValues: .accept"))
    }
    // On purpose, it loads.
    let state = try adam.restore(from: checkpoint, for: model, nonFiniteValues: .accept)
    #expect(state.firstMoment.leaves[1].scalars[1].isNaN)
  }

  @Test func infiniteAndNegativeSecondMomentsAreRefused() throws {
    let (adam, infinite, model) = try Self.checkpoint(poisoning: "secondMoment", leaf: 0, index: 3, with: .infinity)
    #expect(throws: CheckpointError.poisonedValue(buffer: "secondMoment", leaf: "weight", index: 3, value: .infinity, requirement: "finite")) {
      try adam.restore(from: infinite, for: model)
    }
    let (_, negative, _) = try Self.checkpoint(poisoning: "secondMoment", leaf: 0, index: 2, with: -1e-3)
    #expect(throws: CheckpointError.poisonedValue(buffer: "secondMoment", leaf: "weight", index: 2, value: -1e-3, requirement: "≥ 0")) {
      try adam.restore(from: negative, for: model, nonFiniteValues: .accept)
    }
  }

  @Test func nonFiniteParametersAreRefused() throws {
    let (adam, clean, model) = try Self.checkpoint(poisoning: "firstMoment", leaf: 0, index: 0, with: 0.5)
    var checkpoint = clean
    checkpoint.parameters?[1] = .doubles([1, -.infinity, 3].prefix(model.bias.scalarCount).map { $0 })
    #expect(throws: CheckpointError.self) { try adam.restore(from: checkpoint, for: model) }
    var into = model
    do {
      try checkpoint.restoreParameters(into: &into)
      Issue.record("an infinite parameter restored")
    } catch {
      guard case let .poisonedValue(_, leaf, index, _, _) = error else { Issue.record("\(error)"); return }
      #expect(leaf == "bias" && index == 1)
    }
    #expect(into.parametersBitwiseEqual(model))
    try checkpoint.restoreParameters(into: &into, nonFiniteValues: .accept)
    #expect(into.bias.scalars[1] == -.infinity)
  }

  @Test func poisonedJSONCheckpointsAreRefusedToo() throws {
    let (adam, checkpoint, model) = try Self.checkpoint(poisoning: "secondMoment", leaf: 1, index: 0, with: .nan)
    let fromJSON = try ExactJSONTests.jsonRoundTrip(checkpoint)
    #expect(throws: CheckpointError.self) { try adam.restore(from: fromJSON, for: model) }
    #expect(try adam.restore(from: fromJSON, for: model, nonFiniteValues: .accept).secondMoment.leaves[1].scalars[0].isNaN)
  }

  @Test func skipNonFiniteCanCheckTheStateItProduces() throws {
    // A finite but huge Float gradient overflows Adam's second moment to +∞;
    // the parameters stay finite (m / √∞ = 0), so only the state check sees it.
    let gradient = Tensor<Float>([3e30, 1])
    let start = Tensor<Float>([1, 2])
    let byParameters = SkipNonFinite(Adam<Tensor<Float>>(learningRate: 0.1), check: .parameters)
    var params = start
    var state = byParameters.initialState(for: params)
    try byParameters.checkedUpdate(&state, &params, gradient)
    #expect(state.base.secondMoment.scalars[0] == .infinity)

    let byState = SkipNonFinite(Adam<Tensor<Float>>(learningRate: 0.1), check: .parametersAndState)
    params = start
    var guarded = byState.initialState(for: params)
    let before = guarded
    try byState.checkedUpdate(&guarded, &params, gradient)
    #expect(params == start)
    #expect(guarded.base == before.base && guarded.nonFiniteSteps == 1 && guarded.consecutiveNonFiniteSteps == 1)
    try byState.checkedUpdate(&guarded, &params, Tensor([1, 1]))
    #expect(guarded.base.step == 1 && guarded.consecutiveNonFiniteSteps == 0 && params != start)
  }
}
