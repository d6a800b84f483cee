import Foundation
import Optimisers
import Testing

/// The dynamic maps and the block-wise codec: nearest-code encoding checked by
/// brute force, and the round-trip bound on random and adversarial blocks.
@Suite struct QuantisationTests {
  @Test func mapsHaveThePapersShape() {
    let signed = QuantisationMap.signed.values, unsigned = QuantisationMap.unsigned.values
    #expect(signed.count == 256 && unsigned.count == 256)
    #expect(signed == signed.sorted() && unsigned == unsigned.sorted())
    #expect(signed.filter { $0 < 0 }.count == 127 && signed.filter { $0 > 0 }.count == 128)
    #expect(unsigned.allSatisfy { $0 >= 0 } && unsigned.filter { $0 > 0 }.count == 255)
    #expect(signed.last == 1 && unsigned.last == 1 && unsigned.first == 0)
    // The top decade: 64 (signed) and 128 (unsigned) midpoints of [0.1, 1].
    #expect(abs(signed[254] - (1 - 0.9 / 128)) < 1e-6 && abs(signed[0] + (1 - 0.9 / 128)) < 1e-6)
    #expect(abs(unsigned[254] - (1 - 0.9 / 256)) < 1e-6)
    // The smallest magnitudes: 10⁻⁶ × 0.55 (signed) and 10⁻⁶ × 0.325 (unsigned).
    #expect(abs(signed[128] - 0.55e-6) < 1e-12 && abs(unsigned[1] - 0.325e-6) < 1e-12)
    #expect(abs(QuantisationMap.signed.maximumHalfGap - 0.9 / 128) < 1e-6)
    #expect(abs(QuantisationMap.unsigned.maximumHalfGap - 0.9 / 256) < 1e-6)
  }

  func bruteForceNearest(_ u: Float, _ values: [Float]) -> Float {
    values.min { abs($0 - u) < abs($1 - u) }!
  }

  @Test(arguments: [true, false]) func encodingPicksTheNearestValue(signed: Bool) {
    let map = signed ? QuantisationMap.signed : QuantisationMap.unsigned
    let values = map.values
    var random = SplitMix64(seed: 17)
    var inputs: [Float] = (0..<4000).map { (_: Int) -> Float in
      let exponent: Float = -Float(random.next() % 8)
      let magnitude: Float = Float(random.nextUnitInterval()) * pow(10, exponent)
      return signed && random.next() % 2 == 0 ? -magnitude : magnitude
    }
    // Just either side of every decision point between neighbours.
    for c in 0..<255 {
      let middle = (values[c] + values[c + 1]) / 2
      inputs += [middle.nextDown, middle.nextUp]
    }
    inputs += [0, 1, -1, 1e-30, -1e-30]
    for u in inputs where signed || u >= 0 {
      let decoded = map.value(map.code(u))
      #expect(abs(decoded - u) == abs(bruteForceNearest(u, values) - u), "u = \(u): \(decoded)")
    }
  }

  func roundTrip(_ values: [Float], signed: Bool) throws {
    let tensor = try QuantisedTensor(quantising: values, shape: [values.count], signed: signed)
    let back = tensor.dequantised()
    let gap = tensor.map.maximumHalfGap
    for block in 0..<tensor.blockCount {
      let range = block * 256..<min(values.count, block * 256 + 256)
      let scale = range.map { abs(values[$0]) }.max()!
      for i in range {
        let bound = scale * (gap + 0x1p-20) + Float.leastNonzeroMagnitude
        #expect(abs(back[i] - values[i]) <= bound, "value \(i) = \(values[i]) came back as \(back[i]); bound \(bound)")
      }
    }
  }

  @Test func roundTripStaysWithinTheBlockBound() throws {
    var random = SplitMix64(seed: 99)
    let normal = (0..<1000).map { _ in Float(random.nextStandardNormal()) * 0.01 }
    try roundTrip(normal, signed: true)
    try roundTrip(normal.map { $0 * $0 }, signed: false)
    try roundTrip([Float](repeating: 0, count: 300), signed: true)
    var huge = (0..<256).map { _ in Float(random.nextStandardNormal()) * 1e-3 }
    huge[77] = 3e38
    try roundTrip(huge, signed: true)
    try roundTrip(huge.map(abs), signed: false)
    let subnormal: [Float] = (0..<512).map { (i: Int) -> Float in
      let magnitude = Float(bitPattern: UInt32(1 + i * 9973 % 0x7F_FFFF))
      return i % 3 == 0 ? -magnitude : magnitude
    }
    try roundTrip(subnormal, signed: true)
    try roundTrip(subnormal.map(abs), signed: false)
    try roundTrip([Float.leastNonzeroMagnitude, 0, -Float.leastNonzeroMagnitude], signed: true)
    try roundTrip([-1, 1, 0.5, -0.25, Float.greatestFiniteMagnitude, -Float.greatestFiniteMagnitude], signed: true)
  }

  @Test func zerosComeBackExactly() throws {
    let tensor = try QuantisedTensor(quantising: [0, 0, 0], shape: [3], signed: false)
    #expect(tensor.dequantised() == [0, 0, 0])
  }

  @Test func nonFiniteValuesAreRejected() throws {
    #expect(throws: QuantisationError.nonFinite(index: 2, value: .infinity)) {
      try QuantisedTensor(quantising: [1, 2, .infinity, 4], shape: [4], signed: true)
    }
    do {
      _ = try QuantisedTensor(quantising: [1, .nan], shape: [2], signed: true)
      Issue.record("NaN was quantised")
    } catch {
      guard case .nonFinite(let index, let value) = error else { return }
      #expect(index == 1 && value.isNaN)
    }
    var tensor = try QuantisedTensor(quantising: [1, 2], shape: [2], signed: true)
    let before = tensor
    #expect(throws: QuantisationError.self) { try tensor.quantise([.nan, 0]) }
    #expect(tensor == before)
  }
}
