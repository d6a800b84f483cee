import Foundation
import Optimisers
import Testing

/// Every value the binary format keeps comes back bit for bit through a plain
/// `JSONEncoder`/`JSONDecoder`: integral Floats such as 1e11, Doubles beyond
/// 2⁵³, −0, ±∞, NaN with its sign and payload, subnormals.
@Suite struct ExactJSONTests {
  static let awkwardDoubles: [Double] = [
    1e11, 0x1p53, 0x1p53 + 2, 0x1p60, 0x1p62 + 0x1p10, 0x1.fffffffffffffp62, 0x1p63, 0x1p64, 1e300,
    -0x1p60, -0.0, 0, .infinity, -.infinity, .nan, -.nan, Double(bitPattern: 0x7FF0_0000_0000_0001),
    Double(bitPattern: 0xFFF8_0000_0000_BEEF), .leastNonzeroMagnitude, .leastNormalMagnitude.nextDown,
    .greatestFiniteMagnitude, 0.1, 1 / 3,
  ]
  static let awkwardFloats: [Float] = [
    1e11, 1e30, 0x1p24 + 2, 0x1p63, .greatestFiniteMagnitude, -0.0, 0, .infinity, -.infinity, .nan, -.nan,
    Float(bitPattern: 0x7F80_0001), Float(bitPattern: 0xFFC0_1234), .leastNonzeroMagnitude,
    .leastNormalMagnitude.nextDown, 0.1, 16_777_220,
  ]

  static func jsonRoundTrip(_ checkpoint: Checkpoint) throws -> Checkpoint {
    try JSONDecoder().decode(Checkpoint.self, from: JSONEncoder().encode(checkpoint))
  }

  static func bits<S: BinaryFloatingPoint>(_ xs: [S]) -> [UInt64] {
    xs.map { UInt64($0.exponentBitPattern) << 52 ^ UInt64($0.significandBitPattern) ^ ($0.sign == .minus ? 1 << 63 : 0) }
  }

  @Test func awkwardDoubleStatesRoundTripBitwise() throws {
    let adam = Adam<Tensor<Double>>()
    let values = Self.awkwardDoubles
    let params = Tensor<Double>(values.map { $0.isFinite ? $0 : 1 })
    let state = Adam<Tensor<Double>>.State(step: 3, firstMoment: Tensor(values), secondMoment: Tensor(values.map { abs($0) }))
    let checkpoint = try adam.checkpoint(state, for: params, includingParameters: true)
    let back = try Self.jsonRoundTrip(checkpoint)
    let restored = try adam.restore(from: back, for: params, nonFiniteValues: .accept)
    #expect(restored.firstMoment.scalars.map(\.bitPattern) == values.map(\.bitPattern))
    #expect(restored.secondMoment.scalars.map(\.bitPattern) == values.map { abs($0).bitPattern })
    var into = Tensor<Double>.zeros([values.count])
    try back.restoreParameters(into: &into)
    #expect(into.scalars.map(\.bitPattern) == params.scalars.map(\.bitPattern))
  }

  @Test func awkwardFloatStatesRoundTripBitwise() throws {
    let adam = Adam<Tensor<Float>>()
    let values = Self.awkwardFloats
    let params = Tensor<Float>(values.map { $0.isFinite ? $0 : 1 })
    let state = Adam<Tensor<Float>>.State(step: 3, firstMoment: Tensor(values), secondMoment: Tensor(values.map { abs($0) }))
    let back = try Self.jsonRoundTrip(try adam.checkpoint(state, for: params, includingParameters: true))
    let restored = try adam.restore(from: back, for: params, nonFiniteValues: .accept)
    #expect(restored.firstMoment.scalars.map(\.bitPattern) == values.map(\.bitPattern))
    #expect(restored.secondMoment.scalars.map(\.bitPattern) == values.map { abs($0).bitPattern })
  }

  @Test func randomBitPatternsRoundTripLikeTheBinaryFormat() throws {
    var random = SplitMix64(seed: 77)
    let doubles = (0..<4000).map { _ in Double(bitPattern: random.next()) }
    let floats = (0..<4000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: random.next())) }
    let tree = StateTree.object([.init(key: "d", value: .doubles(doubles)), .init(key: "f", value: .floats(floats))])
    let fromJSON = try JSONDecoder().decode(StateTree.self, from: JSONEncoder().encode(tree))
    struct Pair: Decodable { var d: [Double]; var f: [Float] }
    let json = try fromJSON.decode(Pair.self)
    let binary = try Checkpoint(decoding: Checkpoint(optimiser: nil, step: nil, leaves: nil, scalarType: nil, state: tree).encoded())
      .state.decode(Pair.self)
    #expect(json.d.map(\.bitPattern) == doubles.map(\.bitPattern))
    #expect(json.f.map(\.bitPattern) == floats.map(\.bitPattern))
    #expect(json.d.map(\.bitPattern) == binary.d.map(\.bitPattern))
    #expect(json.f.map(\.bitPattern) == binary.f.map(\.bitPattern))
  }

  @Test func scalarsAndHyperparametersAreExactToo() throws {
    // Hyperparameters of ∞, NaN and −0 are written by a plain JSONEncoder and read back.
    let description = OptimiserDescription(name: "Custom", hyperparameters: [
      .init(name: "limit", value: .infinity), .init(name: "offset", value: -0.0), .init(name: "unset", value: .nan),
      .init(name: "big", value: 0x1p60),
    ])
    let back = try JSONDecoder().decode(OptimiserDescription.self, from: JSONEncoder().encode(description))
    #expect(back.hyperparameters.map(\.value.bitPattern) == description.hyperparameters.map(\.value.bitPattern))
    for x in Self.awkwardDoubles {
      let single = try JSONDecoder().decode(StateTree.self, from: JSONEncoder().encode(StateTree.double(x)))
      #expect(try single.decode(Double.self).bitPattern == x.bitPattern, "\(x)")
    }
    for x in Self.awkwardFloats {
      let single = try JSONDecoder().decode(StateTree.self, from: JSONEncoder().encode(StateTree.float(x)))
      #expect(try single.decode(Float.self).bitPattern == x.bitPattern, "\(x)")
    }
    // A string that reads "NaN" stays a string where a string is expected.
    #expect(try StateTree.string("NaN").decode(String.self) == "NaN")
    #expect(throws: DecodingError.self) { try StateTree.string("nan-ish").decode(Double.self) }
  }

  @Test func olderJSONCheckpointsStillLoad() throws {
    let v1 = try JSONDecoder().decode(Checkpoint.self, from: Data(contentsOf: Fixtures.folder.appendingPathComponent("checkpoint-v1-adam.json")))
    #expect(v1.formatVersion == 1)
    #expect(try Adam<Tensor<Double>>(learningRate: 0.01).restore(from: v1, for: .zeros([2])).step == 2)
    let v0 = try JSONDecoder().decode(Checkpoint.self, from: Data(contentsOf: Fixtures.folder.appendingPathComponent("checkpoint-v0-adam.json")))
    #expect(v0.formatVersion == 0)
    #expect(try Adam<Tensor<Double>>().restore(from: v0, for: .zeros([2])).step == 2)
  }
}
