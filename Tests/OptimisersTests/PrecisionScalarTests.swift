import Optimisers
import Testing

/// BFloat16 and Float16 as parameter scalars: conversions against torch and
/// numpy (precision.json), arithmetic, and stochastic rounding's bias.
@Suite struct PrecisionScalarTests {
  struct Pairs: Decodable { let float32Bits: [UInt32]; let bfloat16Bits: [UInt16]? ; let float16Bits: [UInt16]? }
  struct File: Decodable { let bfloat16: Pairs; let float16: Pairs }

  @Test func bfloat16RoundsAsTorchDoes() throws {
    let file = try Fixtures.load(File.self, from: "precision.json")
    let expected = try #require(file.bfloat16.bfloat16Bits)
    #expect(expected.count == file.bfloat16.float32Bits.count && expected.count > 2000)
    for (input, output) in zip(file.bfloat16.float32Bits, expected) {
      let value = BFloat16(Float(bitPattern: input))
      #expect(value.bitPattern == output, "0x\(String(input, radix: 16)) → 0x\(String(value.bitPattern, radix: 16)), torch 0x\(String(output, radix: 16))")
      #expect(Float(value) == Float(bitPattern: UInt32(output) << 16))
    }
  }

  @Test func float16RoundsAsNumpyDoes() throws {
    let file = try Fixtures.load(File.self, from: "precision.json")
    let expected = try #require(file.float16.float16Bits)
    for (input, output) in zip(file.float16.float32Bits, expected) {
      #expect(Float16(Float(bitPattern: input)).bitPattern == output)
    }
  }

  @Test func bfloat16SpecialValuesAndDoubleRounding() {
    #expect(BFloat16(Float.nan).isNaN)
    #expect(BFloat16(-Float.infinity) == -.infinity)
    #expect(BFloat16(Float.greatestFiniteMagnitude).isInfinite)
    #expect(BFloat16.greatestFiniteMagnitude.floatValue == 0x1.FEp127)
    #expect(BFloat16.leastNonzeroMagnitude.floatValue == 0x1p-133)
    #expect(BFloat16(1).ulp == BFloat16(0x1p-7 as Float))
    #expect(BFloat16.leastNormalMagnitude.ulp == .leastNonzeroMagnitude)
    #expect(BFloat16(1.5).nextUp.floatValue == 1.5 + 0x1p-7)
    // 1 + 2⁻⁸ + 2⁻³⁰ rounds to Float as the tie 1 + 2⁻⁸, which would round
    // down to 1; rounded once it is above the tie and rounds up.
    #expect(BFloat16(1 + 0x1p-8 + 0x1p-30 as Double).floatValue == 1 + 0x1p-7)
    #expect(BFloat16(1 + 0x1p-8 as Double).floatValue == 1)
    #expect(BFloat16(3) + BFloat16(4) == BFloat16(7))
    #expect((BFloat16(1) / BFloat16(3)).floatValue == BFloat16(Float(1) / 3).floatValue)
    #expect(BFloat16.squareRoot(of: 4) == 2)
    #expect(-BFloat16(2) < BFloat16(1))
    #expect(BFloat16(exactly: 257) == nil && BFloat16(exactly: 256) == 256)
    #expect(Int(BFloat16(-42.6)) == -42)
  }

  @Test func stochasticRoundingIsUnbiasedOverEveryRandomValue() {
    // Over all 2¹⁶ random values the number rounded up is exactly the dropped
    // bits: the expectation is the value itself.
    for x: Float in [1 + 0x1p-9, -3.14159, Float(bitPattern: 0x0001_2345), 0x1.FEp127, 123.456] {
      let lower = x.bitPattern & 0xFFFF_0000
      var up = 0
      for r in 0..<65536 where BFloat16(x, stochasticallyRoundedWith: UInt32(r)).bitPattern != UInt16(lower >> 16) { up += 1 }
      #expect(up == Int(x.bitPattern & 0xFFFF), "\(x)")
    }
    #expect(BFloat16(2, stochasticallyRoundedWith: 0xFFFF) == 2)
  }

  @Test func tensorsOfBFloat16TrainWithEveryRuleInterface() {
    // A plain rule on bfloat16 parameters runs through the same API; its
    // arithmetic is bfloat16's (each operation rounded).
    let optimiser = Adam<Tensor<BFloat16>>(learningRate: 0.1)
    var p = Tensor<BFloat16>([1, -2, 3])
    var state = optimiser.initialState(for: p)
    for _ in 0..<50 { optimiser.update(&state, &p, p) }
    for x in p.scalars { #expect(abs(Float(x)) < 1) }
  }
}
