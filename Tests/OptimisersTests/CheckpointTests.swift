import Foundation
import Optimisers
import Testing

/// The self-describing checkpoint: round trips, validation that names what
/// differs, format versions, parameters.
@Suite struct CheckpointTests {
  typealias Model = AffineModel<Double>

  static func trained<O: Optimiser>(_ optimiser: O, steps: Int = 3) -> (O.State, Model) where O.Params == Model {
    var random = SplitMix64(seed: 42)
    var model: Model = random.affine()
    var state = optimiser.initialState(for: model)
    for _ in 0..<steps { optimiser.update(&state, &model, random.gradient(for: model)) }
    return (state, model)
  }

  static func fixtureBytes(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: Fixtures.folder.appendingPathComponent(name)))
  }

  // MARK: Round trips

  @Test func binaryAndJSONRoundTripsRestoreTheStateBitwise() throws {
    let adam = Adam<Model>(learningRate: 0.01, beta1: 0.8)
    let (state, model) = Self.trained(adam)
    let checkpoint = try adam.checkpoint(state, for: model, includingParameters: true)
    #expect(checkpoint.formatVersion == Checkpoint.currentFormatVersion)
    #expect(checkpoint.step == 3)
    #expect(checkpoint.leaves?.map(\.name) == ["weight", "bias"])
    #expect(checkpoint.optimiser?.name == "Adam")
    #expect(checkpoint.optimiser?.hyperparameters.first { $0.name == "beta1" }?.value == 0.8)

    let fromBinary = try Checkpoint(decoding: checkpoint.encoded())
    #expect(fromBinary == checkpoint)
    #expect(try adam.restore(from: fromBinary, for: model) == state)

    let json = try JSONEncoder().encode(checkpoint)
    let fromJSON = try JSONDecoder().decode(Checkpoint.self, from: json)
    #expect(try adam.restore(from: fromJSON, for: model) == state)

    var restored = Model(weight: .zeros(model.weight.shape), bias: .zeros(model.bias.shape))
    try fromJSON.restoreParameters(into: &restored)
    #expect(restored.parametersBitwiseEqual(model))
  }

  @Test func floatStatesSurviveJSONAndBinaryExactly() throws {
    let adam = Adam<AffineModel<Float>>(learningRate: 0.003)
    var random = SplitMix64(seed: 9)
    var model: AffineModel<Float> = random.affine()
    var state = adam.initialState(for: model)
    for _ in 0..<5 { adam.update(&state, &model, random.gradient(for: model)) }
    let checkpoint = try adam.checkpoint(state, for: model)
    if case .floats = checkpoint.state["firstMoment"]?.decodeLeaf(0) {} else {
      Issue.record("Float buffers are not packed as Floats: \(checkpoint.state)")
    }
    let json = try JSONDecoder().decode(Checkpoint.self, from: JSONEncoder().encode(checkpoint))
    #expect(try adam.restore(from: json, for: model) == state)
    #expect(try adam.restore(from: Checkpoint(decoding: checkpoint.encoded()), for: model) == state)
  }

  @Test func binaryBuffersCostFourOrEightBytesAScalar() throws {
    let model = Tensor<Float>.zeros([1000])
    let adam = Adam<Tensor<Float>>()
    let bytes = try adam.checkpoint(adam.initialState(for: model), for: model).encoded()
    // Two buffers of 1000 floats plus a few hundred bytes of description.
    #expect(bytes.count > 8000 && bytes.count < 8000 + 1000, "\(bytes.count) bytes")
  }

  // MARK: Validation names what differs

  @Test func restoringIntoOtherShapesNamesTheLeafAndBothShapes() throws {
    let adam = Adam<Model>(learningRate: 0.01)
    let (state, model) = Self.trained(adam)
    let checkpoint = try adam.checkpoint(state, for: model)
    var other = model
    other.bias = .zeros([model.bias.shape[0] + 1])
    #expect(throws: CheckpointError.shapeMismatch(leaf: "bias", expected: other.bias.shape, found: model.bias.shape)) {
      try adam.restore(from: checkpoint, for: other)
    }
    var renamed = checkpoint
    renamed.leaves?[0].name = "weights"
    #expect(throws: CheckpointError.leafNameMismatch(index: 0, expected: "weight", found: "weights")) {
      try adam.restore(from: renamed, for: model)
    }
    let single = Adam<Tensor<Double>>(learningRate: 0.01)
    #expect(throws: CheckpointError.leafCountMismatch(expected: 1, found: 2)) {
      try single.restore(from: checkpoint, for: .zeros([3]))
    }
    let float = Adam<AffineModel<Float>>(learningRate: 0.01)
    #expect(throws: CheckpointError.scalarTypeMismatch(expected: "Float", found: "Double")) {
      try float.restore(from: checkpoint, for: AffineModel(weight: .zeros(model.weight.shape), bias: .zeros(model.bias.shape)))
    }
  }

  @Test func restoringIntoAnotherRuleOrHyperparameterNamesIt() throws {
    let adam = Adam<Model>(learningRate: 0.01)
    let (state, model) = Self.trained(adam)
    let checkpoint = try adam.checkpoint(state, for: model)
    #expect(throws: CheckpointError.ruleMismatch(path: "Momentum", expected: "Momentum", found: "Adam")) {
      try Momentum<Model>().restore(from: checkpoint, for: model)
    }
    let faster = Adam<Model>(learningRate: 0.02)
    #expect(throws: CheckpointError.hyperparameterMismatch(path: "Adam", name: "learningRate", expected: 0.02, found: 0.01)) {
      try faster.restore(from: checkpoint, for: model)
    }
    // Resuming with a new learning rate on purpose.
    #expect(try faster.restore(from: checkpoint, for: model, hyperparameters: .useOptimiser) == state)
    let error = CheckpointError.hyperparameterMismatch(path: "Adam", name: "learningRate", expected: 0.02, found: 0.01)
    #expect(error.description == "hyperparameter 'learningRate' of Adam is 0.02, but the checkpoint has 0.01; restore "
      + "with the checkpoint's value, or pass hyperparameters: .useOptimiser to continue with the new one")
  }

  @Test func damagedStatesThrowAndLeaveNothingHalfLoaded() throws {
    let adam = Adam<Model>(learningRate: 0.01)
    let (state, model) = Self.trained(adam)
    var checkpoint = try adam.checkpoint(state, for: model, includingParameters: true)

    // A buffer missing: the state does not decode.
    guard case .object(let members) = checkpoint.state else { Issue.record("state is not an object"); return }
    var broken = checkpoint
    broken.state = .object(members.filter { $0.key != "secondMoment" })
    #expect(throws: CheckpointError.self) { try adam.restore(from: broken, for: model) }
    do {
      _ = try adam.restore(from: broken, for: model)
    } catch {
      guard case .undecodableState(let message) = error else { Issue.record("\(error)"); return }
      #expect(message.contains("secondMoment"))
    }

    // A buffer of another shape than the recorded leaves: the rule's own
    // validation names it.
    var reshaped = state
    reshaped.firstMoment[\.bias] = .zeros([7])
    broken.state = try StateTree(encoding: reshaped)
    #expect(throws: CheckpointError.invalidState(
      .shapeMismatch(buffer: "firstMoment", leaf: "bias", expected: model.bias.shape, found: [7]))) {
      try adam.restore(from: broken, for: model)
    }

    // Parameters of the wrong length leave the target untouched.
    let target = Model(weight: .zeros(model.weight.shape), bias: .zeros(model.bias.shape))
    var into = target
    checkpoint.parameters?[1] = .doubles([1, 2, 3, 4, 5, 6, 7, 8, 9])
    #expect(throws: CheckpointError.self) { try checkpoint.restoreParameters(into: &into) }
    #expect(into.parametersBitwiseEqual(target))
    checkpoint.parameters = nil
    #expect(throws: CheckpointError.noParameters) { try checkpoint.restoreParameters(into: &into) }
  }

  @Test func stepCountsBeyondTwoToTheFiftyThirdAreRejected() throws {
    let adam = Adam<Tensor<Double>>()
    let model = Tensor<Double>.zeros([2])
    var checkpoint = try adam.checkpoint(adam.initialState(for: model), for: model)
    guard case .object(var members) = checkpoint.state, let index = members.firstIndex(where: { $0.key == "step" }) else {
      Issue.record("no step")
      return
    }
    #expect(throws: CheckpointError.invalidState(.invalidState(
      "counter step = 9223372036854775807 is negative or above 2^53, which no run reaches (the next step could overflow); the checkpoint was damaged or edited"))) {
      members[index].value = .integer(Int64.max)
      checkpoint.state = .object(members)
      return try adam.restore(from: checkpoint, for: model)
    }
    for bad: StateTree in [.integer(Int64.max), .integer((1 << 53) + 1), .integer(-1), .double(.nan), .double(2.5), .string("3")] {
      members[index].value = bad
      checkpoint.state = .object(members)
      #expect(throws: CheckpointError.self, "step \(bad)") { try adam.restore(from: checkpoint, for: model) }
    }
  }

  // MARK: Format versions

  @Test func versionZeroSampleStillLoads() throws {
    let checkpoint = try Fixtures.load(Checkpoint.self, from: "checkpoint-v0-adam.json")
    #expect(checkpoint.formatVersion == 0)
    #expect(checkpoint.optimiser == nil)
    #expect(checkpoint.step == 2)
    let state = try Adam<Tensor<Double>>(learningRate: 0.01).restore(from: checkpoint, for: .zeros([2]))
    #expect(state.step == 2)
    #expect(state.firstMoment == Tensor([0.1, -0.2]))
    #expect(state.secondMoment == Tensor([0.001, 0.004]))
    // Version 0 records no leaves, but the rule's validation still checks shapes.
    #expect(throws: CheckpointError.invalidState(
      .shapeMismatch(buffer: "firstMoment", leaf: "value", expected: [3], found: [2]))) {
      try Adam<Tensor<Double>>().restore(from: checkpoint, for: .zeros([3]))
    }
    #expect(throws: CheckpointError.self) { try Momentum<Tensor<Double>>().restore(from: checkpoint, for: .zeros([2])) }
  }

  @Test func versionOneSamplesLoadAndTheBinaryIsByteStable() throws {
    let json = try Fixtures.load(Checkpoint.self, from: "checkpoint-v1-adam.json")
    let bytes = try Self.fixtureBytes("checkpoint-v1-adam.bin")
    let binary = try Checkpoint(decoding: bytes)
    #expect(binary.encoded() == bytes, "re-encoding the committed sample changed its bytes")
    for checkpoint in [json, binary] {
      #expect(checkpoint.formatVersion == 1)
      #expect(checkpoint.step == 2)
      #expect(checkpoint.leaves == [Checkpoint.Leaf(name: "value", shape: [2])])
      let adam = Adam<Tensor<Double>>(learningRate: 0.01)
      let state = try adam.restore(from: checkpoint, for: .zeros([2]))
      #expect(state == Adam<Tensor<Double>>.State(step: 2, firstMoment: Tensor([0.1, -0.2]), secondMoment: Tensor([0.001, 0.004])))
      var params = Tensor<Double>.zeros([2])
      try checkpoint.restoreParameters(into: &params)
      #expect(params == Tensor([1, -1]))
    }
  }

  @Test func newerFormatVersionsFailWithAMessageSayingSo() throws {
    var object = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.folder.appendingPathComponent("checkpoint-v1-adam.json"))) as! [String: Any]
    object["formatVersion"] = 7
    let data = try JSONSerialization.data(withJSONObject: object)
    do {
      _ = try JSONDecoder().decode(Checkpoint.self, from: data)
      Issue.record("a version 7 checkpoint decoded")
    } catch let DecodingError.dataCorrupted(context) {
      #expect(context.debugDescription.contains("format version 7"))
      #expect(context.debugDescription.contains("0 to \(Checkpoint.currentFormatVersion)"))
      #expect(context.debugDescription.contains("update the library"))
    }
    // Binary: rewrite the header's version and the checksum.
    var bytes = try Self.fixtureBytes("checkpoint-v1-adam.bin")
    bytes[8] = 7
    let crc = CRC32.checksum(bytes[0..<(bytes.count - 4)])
    for i in 0..<4 { bytes[bytes.count - 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
    #expect(throws: CheckpointError.unsupportedFormatVersion(found: 7, readable: 1...Checkpoint.currentFormatVersion)) {
      try Checkpoint(decoding: bytes)
    }
    #expect(CheckpointError.unsupportedFormatVersion(found: 7, readable: 0...2).description
      == "the checkpoint was written in format version 7 by a newer version of this library, which reads format versions 0 to 2; update the library to load it")
    // Version 0 exists only as a bare JSON state: a binary header saying 0 is damage, and says so.
    bytes[8] = 0
    let crc0 = CRC32.checksum(bytes[0..<(bytes.count - 4)])
    for i in 0..<4 { bytes[bytes.count - 4 + i] = UInt8(truncatingIfNeeded: crc0 >> (8 * UInt32(i))) }
    do { _ = try Checkpoint(decoding: bytes) } catch {
      #expect(error.description.contains("binary checkpoints start at version 1"), "\(error)")
      #expect(!error.description.contains("reads format versions 0"), "\(error)")
    }
  }

  @Test func corruptBytesAreNamed() throws {
    let bytes = try Self.fixtureBytes("checkpoint-v1-adam.bin")
    var flipped = bytes
    flipped[100] ^= 0x10
    #expect(throws: CheckpointError.self) { try Checkpoint(decoding: flipped) }
    do { _ = try Checkpoint(decoding: flipped) } catch {
      #expect(error.description.contains("checksum mismatch"))
    }
    #expect(throws: CheckpointError.notACheckpoint("it does not start with the checkpoint magic number")) {
      try Checkpoint(decoding: Array("{\"formatVersion\": 1}".utf8))
    }
    do { _ = try Checkpoint(decoding: Array(bytes.dropLast(10))) } catch {
      #expect(error.description.contains("truncated"))
    }
  }
}

extension StateTree {
  /// Leaf `index` of a tangent's tree: `[ {shape, scalars}, … ]` → scalars.
  func decodeLeaf(_ index: Int) -> StateTree? {
    guard case .array(let leaves) = self, index < leaves.count else { return nil }
    return leaves[index]["scalars"]
  }
}

extension CheckpointTests {
  @Test func versionOneCheckpointsMustDescribeThemselves() throws {
    let adam = Adam<Tensor<Double>>()
    let params = Tensor<Double>.zeros([2])
    let checkpoint = try adam.checkpoint(adam.initialState(for: params), for: params)
    for strip in [\Checkpoint.optimiser, \.scalarType] as [PartialKeyPath<Checkpoint>] {
      var damaged = checkpoint
      if strip == \Checkpoint.optimiser { damaged.optimiser = nil } else { damaged.scalarType = nil }
      #expect(throws: CheckpointError.self) { try adam.restore(from: damaged, for: params) }
    }
    var noLeaves = checkpoint
    noLeaves.leaves = nil
    #expect(throws: CheckpointError.self) { try adam.restore(from: noLeaves, for: params) }
    var wrongStep = checkpoint
    wrongStep.step = 5
    #expect(throws: CheckpointError.corrupt("the checkpoint says step 5, its state 0")) {
      try adam.restore(from: wrongStep, for: params)
    }
  }
}
