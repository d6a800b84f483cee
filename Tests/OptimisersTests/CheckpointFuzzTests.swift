import Foundation
import OptimiserLaws
import Optimisers
import Testing

/// Decoding mutated checkpoints thousands of times: every case throws cleanly
/// or loads a valid state; nothing crashes or allocates without bound.
///
/// Set `OPTIMISERS_FUZZ_CASES` for a bigger run (the default keeps the debug
/// suite fast); `checkpoint-stress fuzz N` runs the same fuzzer in release.
@Suite struct CheckpointFuzzTests {
  static var cases: Int {
    ProcessInfo.processInfo.environment["OPTIMISERS_FUZZ_CASES"].flatMap(Int.init) ?? 3000
  }

  static func trainedAdam() -> (Adam<AffineModel<Double>>, Adam<AffineModel<Double>>.State, AffineModel<Double>) {
    let adam = Adam<AffineModel<Double>>(learningRate: 0.01)
    var random = SplitMix64(seed: 5)
    var model: AffineModel<Double> = random.affine()
    var state = adam.initialState(for: model)
    for _ in 0..<3 { adam.update(&state, &model, random.gradient(for: model)) }
    return (adam, state, model)
  }

  @Test func mutatedBinaryCheckpointsThrowOrLoadValidStates() {
    let (adam, state, model) = Self.trainedAdam()
    let report = DecodingFuzzer.fuzz(adam, state: state, parameters: model, cases: Self.cases, seed: 0xF0221)
    #expect(report.cases == Self.cases)
    #expect(report.problems.isEmpty, "\(report)")
    // The mutations reach the parser: most are rejected, a few (a nudged
    // buffer value) still load, and every kind was tried.
    #expect(report.rejected > report.cases / 2, "\(report)")
    #expect(report.loaded > 0, "\(report)")
    for kind in ["truncate", "flipBits", "hugeCount", "splice", "nanNumber", "hugeShape", "wrongType.string"] {
      #expect((report.byMutation[kind]?.cases ?? 0) > 0, "no \(kind) case: \(report)")
    }
    // A truncated checkpoint can never load. (A huge "shape" can: written over
    // a parameter array it is just two large parameter values.)
    #expect(report.byMutation["truncate"]?.loaded == 0)
    #expect(report.byMutation["nanNumber"].map { $0.loaded < $0.cases } == true)
  }

  @Test func mutatedFloatMomentumCheckpointsThrowOrLoadValidStates() {
    let momentum = Momentum<Tensor<Float>>(learningRate: 0.1, momentum: 0.9)
    var params = Tensor<Float>(randomNormal: [3, 2], seed: 4)
    var state = momentum.initialState(for: params)
    for seed in 0..<2 { momentum.update(&state, &params, Tensor(randomNormal: [3, 2], seed: UInt64(seed))) }
    let report = DecodingFuzzer.fuzz(momentum, state: state, parameters: params, cases: Self.cases / 3, seed: 77)
    #expect(report.problems.isEmpty, "\(report)")
    #expect(report.rejected + report.loaded == report.cases)
  }

  @Test func hugeCountsAreRejectedBeforeAllocating() throws {
    // A packed buffer claiming 2⁶² doubles, with a valid checksum: rejected by
    // the count check (allocating it would need 32 EiB).
    let (adam, state, model) = Self.trainedAdam()
    var bytes = try adam.checkpoint(state, for: model).encoded()
    // Find the first packed-doubles tag (11) followed by a plausible count.
    guard let tag = (20..<(bytes.count - 12)).first(where: { bytes[$0] == 11 && bytes[$0 + 8] == 0 && bytes[$0 + 1] > 0 }) else {
      Issue.record("no packed buffer found")
      return
    }
    for i in 0..<8 { bytes[tag + 1 + i] = UInt8(truncatingIfNeeded: (UInt64(1) << 62) >> (8 * UInt64(i))) }
    let body = Array(bytes.dropLast(4))
    let crc = CRC32.checksum(body)
    bytes = body + (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * UInt32($0))) }
    do {
      _ = try Checkpoint(decoding: bytes)
      Issue.record("a count of 2^62 decoded")
    } catch {
      #expect(error.description.contains("exceeds"), "\(error)")
    }
  }

  @Test func tensorShapesWithAHugeProductAreRejectedBeforeAllocating() throws {
    let json = #"{"shape": [2147483647, 2147483647], "scalars": [1]}"#
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Tensor<Float>.self, from: Data(json.utf8)) }
    let tree = StateTree.object([
      .init(key: "scalars", value: .floats([1])),
      .init(key: "shape", value: .array([.integer(1 << 31), .integer(1 << 31)])),
    ])
    #expect(throws: DecodingError.self) { try tree.decode(Tensor<Float>.self) }
    let negative = StateTree.object([
      .init(key: "scalars", value: .floats([1])), .init(key: "shape", value: .array([.integer(-1)])),
    ])
    #expect(throws: DecodingError.self) { try negative.decode(Tensor<Float>.self) }
  }

  @Test func mutatedJSONCheckpointsThrowOrLoadValidStates() throws {
    let (adam, state, model) = Self.trainedAdam()
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let text = Array(try encoder.encode(adam.checkpoint(state, for: model, includingParameters: true)))
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    var random = SplitMix64(seed: 0x15_0F)
    var rejected = 0, loaded = 0
    let replacements: [String] = ["\"nan\"", "1e400", "-1", "9223372036854775807", "[]", "{}", "null", "\"x\"", "2.5", "true"]
    for index in 0..<(Self.cases / 2) {
      var mutated = text
      switch index % 4 {
      case 0:
        mutated = Array(text[..<Int.random(in: 0..<text.count, using: &random)])
      case 1:
        let position = Int.random(in: 0..<text.count, using: &random)
        mutated[position] = UInt8.random(in: 32...126, using: &random)
      case 2:
        // Replace a number with something else: NaN where a count belongs, huge
        // values, wrong types.
        let digits = text.indices.filter { (48...57).contains(text[$0]) }
        let start = digits[Int.random(in: 0..<digits.count, using: &random)]
        var end = start
        while end < text.count, (48...57).contains(text[end]) || text[end] == 46 || text[end] == 101 || text[end] == 45 { end += 1 }
        mutated.replaceSubrange(start..<end, with: Array(replacements[Int.random(in: 0..<replacements.count, using: &random)].utf8))
      default:
        let start = Int.random(in: 0..<(text.count - 1), using: &random)
        mutated.removeSubrange(start..<min(text.count, start + Int.random(in: 1...12, using: &random)))
      }
      do {
        let checkpoint = try decoder.decode(Checkpoint.self, from: Data(mutated))
        var restoredState = try adam.restore(from: checkpoint, for: model)
        var params = model
        try checkpoint.restoreParameters(into: &params)
        adam.update(&restoredState, &params, params.zeroTangentVector)
        loaded += 1
      } catch {
        rejected += 1
      }
    }
    #expect(rejected + loaded == Self.cases / 2)
    #expect(rejected > loaded, "rejected \(rejected), loaded \(loaded)")
  }
}

extension CheckpointFuzzTests {
  @Test func deeplyNestedInputIsRejectedWithoutExhaustingTheStack() throws {
    // JSON: Foundation's parser limits nesting; binary: the reader stops at 64 levels.
    let depth = 10_000
    let json = "{\"formatVersion\": 1, \"state\": " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
    #expect(throws: (any Error).self) { try JSONDecoder().decode(Checkpoint.self, from: Data(json.utf8)) }

    var payload: [UInt8] = []
    for _ in 0..<depth { payload += [8, 1, 0, 0, 0, 0, 0, 0, 0] }  // array of one element
    payload.append(0)  // null
    var bytes: [UInt8] = [0x89, 0x4F, 0x50, 0x54, 0x43, 0x4B, 0x50, 0x54, 1, 0, 0, 0]
    bytes += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(payload.count) >> (8 * UInt64($0))) }
    bytes += payload
    let crc = CRC32.checksum(bytes)
    bytes += (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * UInt32($0))) }
    do {
      _ = try Checkpoint(decoding: bytes)
      Issue.record("a 10000-deep payload decoded")
    } catch {
      #expect(error.description.contains("nested deeper than 64"), "\(error)")
    }
  }
}
