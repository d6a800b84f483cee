import Foundation
import Optimisers
import Testing

/// The Foundation-free encoder and decoder behind checkpoints.
@Suite struct StateTreeTests {
  struct Sample: Codable, Equatable {
    var count: Int
    var big: UInt64
    var small: Int8
    var flag: Bool
    var name: String
    var maybe: Double?
    var nothing: Float?
    var floats: [Float]
    var doubles: [Double]
    var empty: [Double]
    var nested: [[Int]]
    var generator: SplitMix64
  }

  static let sample = Sample(
    count: -3, big: .max, small: -8, flag: true, name: "Ω", maybe: 0.1, nothing: nil, floats: [1.5, -0.0, .nan],
    doubles: [1e-300, .infinity], empty: [], nested: [[1], [], [2, 3]], generator: SplitMix64(seed: .max))

  @Test func everyKindOfValueRoundTripsBitwise() throws {
    let tree = try StateTree(encoding: Self.sample)
    let decoded = try tree.decode(Sample.self)
    #expect(try StateTree(encoding: decoded) == tree)
    #expect(decoded.floats[1].sign == .minus && decoded.floats[2].isNaN)
    #expect(decoded.big == .max && decoded.generator == Self.sample.generator)
    #expect(tree["floats"] == .floats([1.5, -0.0, .nan]))
    #expect(tree["doubles"] == .doubles([1e-300, .infinity]))
    #expect(tree["empty"] == .array([]))
    #expect(tree["big"] == .unsigned(.max))
    #expect(tree["nothing"] == nil || tree["nothing"] == .null)
    // Bitwise equality: NaN equals itself, −0 differs from +0.
    #expect(StateTree.double(.nan) == .double(.nan))
    #expect(StateTree.double(-0.0) != .double(0))
    #expect(tree.containsNonFinite)
  }

  @Test func keysAreSortedSoJSONRoundTripsGiveTheSameTree() throws {
    let tree = try StateTree(encoding: Adam<Tensor<Double>>().initialState(for: .zeros([2])))
    guard case .object(let members) = tree else { Issue.record("not an object"); return }
    #expect(members.map(\.key) == ["firstMoment", "rule", "secondMoment", "step"])
    let fromJSON = try JSONDecoder().decode(StateTree.self, from: JSONEncoder().encode(tree))
    #expect(try fromJSON.decode(Adam<Tensor<Double>>.State.self) == tree.decode(Adam<Tensor<Double>>.State.self))
  }

  @Test func numbersConvertOnlyWhenRepresentable() throws {
    #expect(try StateTree.double(3).decode(Int.self) == 3)
    #expect(try StateTree.integer(3).decode(Double.self) == 3)
    #expect(try StateTree.double(0.1).decode(Float.self) == Float(0.1))
    #expect(throws: DecodingError.self) { try StateTree.double(.nan).decode(Int.self) }
    #expect(throws: DecodingError.self) { try StateTree.double(2.5).decode(Int.self) }
    #expect(throws: DecodingError.self) { try StateTree.double(1e300).decode(Float.self) }
    #expect(throws: DecodingError.self) { try StateTree.integer(300).decode(Int8.self) }
    #expect(throws: DecodingError.self) { try StateTree.integer(-1).decode(UInt.self) }
    #expect(throws: DecodingError.self) { try StateTree.string("1").decode(Int.self) }
    #expect(throws: DecodingError.self) { try StateTree.array([]).decode(Sample.self) }
  }

  @Test func errorsNameTheCodingPath() throws {
    var tree = try StateTree(encoding: Adam<Tensor<Double>>().initialState(for: .zeros([2])))
    guard case .object(var members) = tree else { return }
    members[0].value = .object([.init(key: "shape", value: .array([.string("two")])), .init(key: "scalars", value: .doubles([0, 0]))])
    tree = .object(members)
    do {
      _ = try tree.decode(Adam<Tensor<Double>>.State.self)
      Issue.record("decoded a string extent")
    } catch let DecodingError.typeMismatch(_, context) {
      #expect(context.codingPath.map(\.stringValue) == ["firstMoment", "shape", "0"])
      #expect(context.debugDescription.contains("a string"))
    }
  }

  @Test func crc32MatchesTheStandardCheckValue() {
    // The CRC-32/ISO-HDLC check value of "123456789" (Greenberg's catalogue).
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum([UInt8]()) == 0)
    var split = CRC32()
    split.update(Array("1234".utf8))
    split.update(Array("56789".utf8))
    #expect(split.value == 0xCBF4_3926)
  }
}
