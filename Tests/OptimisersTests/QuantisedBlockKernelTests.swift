import COptimisers
@testable import Optimisers
import Testing

/// The C kernels of the 8-bit pass: the table encoder against an exact search
/// of the 256 values (ties included), the vector path against the portable
/// one bit for bit, and the fused step against a scalar transcription of it.
@Suite struct QuantisedBlockKernelTests {
  /// The code of the value nearest `u` by exact distance, ties to the smaller
  /// magnitude: the straightforward search the table must reproduce.
  func searchedCode(_ u: Float, _ values: [Float]) -> Int {
    var best = 0
    for c in 1..<256 {
      let (d, e) = (abs(Double(values[c]) - Double(u)), abs(Double(values[best]) - Double(u)))
      if d < e || (d == e && abs(values[c]) < abs(values[best])) { best = c }
    }
    return best
  }

  /// Random magnitudes over every decade the maps cover, both signs, and the
  /// adversarial points: every exact midpoint between neighbours (where a
  /// Float holds it), the Floats on either side of it, the table's bucket
  /// edges, subnormals, zeros and ±1.
  func inputs(signed: Bool, _ values: [Float]) -> [Float] {
    var random = SplitMix64(seed: 23)
    var inputs: [Float] = (0..<6000).map { (_: Int) -> Float in
      Float(bitPattern: 0x3000_0000 + UInt32(truncatingIfNeeded: random.next() % 0x0F80_0001))
    }
    for c in 0..<255 {
      let middle = (Double(values[c]) + Double(values[c + 1])) / 2
      let near = Float(middle)
      inputs += [near, near.nextDown, near.nextUp, near.nextDown.nextDown, near.nextUp.nextUp]
    }
    for bucket in stride(from: UInt32(0), through: 24 * 256, by: 7) {
      let edge = Float(bitPattern: (103 << 23) + bucket << 15)
      inputs += [edge, edge.nextDown]
    }
    inputs += [0, -0.0, 1, 0x1p-149, 0x1p-126, 0x1p-24, 2.7e-7, 0.325e-6 / 2]
    let both = signed ? inputs + inputs.map { -$0 } : inputs
    return both.filter { abs($0) <= 1 }
  }

  @Test(arguments: [true, false]) func encodingEqualsTheExactSearchIncludingTies(signed: Bool) throws {
    let map = signed ? QuantisationMap.signed : QuantisationMap.unsigned
    let values = map.values
    let all = inputs(signed: signed, values)
    // Inputs exactly at a midpoint (a tie), and at a midpoint rounded up to
    // the next Float (nearer the larger value, where comparing with the
    // rounded midpoint would pick the smaller).
    var (ties, roundedUp) = (0, 0)
    for start in stride(from: 0, to: all.count, by: 255) {
      // A 1 in every block makes the scale 1, so each code is the code of the input itself.
      let block = Array(all[start..<min(start + 255, all.count)]) + [1]
      let tensor = try QuantisedTensor(quantising: block, shape: [block.count], signed: signed)
      for (i, u) in block.enumerated() {
        let expected = searchedCode(u, values)
        #expect(Int(tensor.storage.codes[i]) == expected, "u = \(u) (\(u.bitPattern)): code \(tensor.storage.codes[i]), nearest \(expected)")
        #expect(Int(map.code(u)) == expected, "u = \(u): scalar code \(map.code(u)), nearest \(expected)")
        for c in max(0, expected - 1)...min(254, expected) {
          let middle = (Double(values[c].magnitude) + Double(values[c + 1].magnitude)) / 2
          if Double(u.magnitude) == middle { ties += 1 }
          if Float(middle) == u.magnitude && Double(u.magnitude) > middle { roundedUp += 1 }
        }
      }
    }
    #expect(ties > 10, "exact ties: \(ties)")
    #expect(roundedUp > 10, "midpoints rounded up: \(roundedUp)")
  }

  /// Blocks of every length from 1 to 256 with random, huge, tiny, subnormal,
  /// zero, infinite and NaN values.
  func adversarialBlocks() -> [[Float]] {
    var random = SplitMix64(seed: 5)
    var blocks: [[Float]] = []
    for n in [1, 2, 7, 8, 9, 15, 16, 31, 64, 100, 255, 256] {
      blocks.append((0..<n).map { (_: Int) -> Float in Float(random.nextStandardNormal()) })
      blocks.append((0..<n).map { (_: Int) -> Float in Float(random.nextStandardNormal()) * 1e-30 })
      blocks.append((0..<n).map { (i: Int) -> Float in
        let magnitude = Float(bitPattern: UInt32(1 + i * 7919 % 0x7F_FFFF))
        return i % 2 == 0 ? magnitude : -magnitude
      })
      blocks.append([Float](repeating: 0, count: n))
      var huge = (0..<n).map { (_: Int) -> Float in Float(random.nextStandardNormal()) * 1e-3 }
      huge[n / 2] = -3e38
      blocks.append(huge)
      var inverseOverflows = (0..<n).map { (_: Int) -> Float in Float(random.nextStandardNormal()) * 0x1p-130 }
      inverseOverflows[0] = 0x1p-128
      blocks.append(inverseOverflows)
      for bad in [Float.nan, .infinity, -.infinity] {
        var poisoned = (0..<n).map { (_: Int) -> Float in Float(random.nextStandardNormal()) }
        poisoned[n - 1] = bad
        blocks.append(poisoned)
      }
    }
    return blocks
  }

  @Test(arguments: [true, false]) func vectorAndPortablePathsAgreeBitForBit(signed: Bool) {
    let map = signed ? QuantisationMap.signed : QuantisationMap.unsigned
    for block in adversarialBlocks() {
      let x = signed ? block : block.map { $0.isNaN ? $0 : abs($0) }
      var (fast, portable) = ([UInt8](repeating: 7, count: x.count), [UInt8](repeating: 7, count: x.count))
      let a = optimisers_quantise_block(&fast, x, x.count, map.tables)
      let b = optimisers_quantise_block_portable(&portable, x, x.count, map.tables)
      #expect(a.bitPattern == b.bitPattern && fast == portable, "block of \(x.count) starting \(x.prefix(3))")
      #expect(a.isNaN == x.contains { !$0.isFinite })
      var (out, outPortable) = ([Float](repeating: 0, count: x.count), [Float](repeating: 0, count: x.count))
      optimisers_dequantise_block(&out, fast, x.count, map.decoded, a)
      optimisers_dequantise_block_portable(&outPortable, fast, x.count, map.decoded, a)
      #expect(out.map(\.bitPattern) == outPortable.map(\.bitPattern))
    }
  }

  @Test func bfloat16ConversionsMatchTheScalarOnes() {
    var random = SplitMix64(seed: 41)
    var x: [Float] = (0..<1000).map { (_: Int) -> Float in Float(bitPattern: UInt32(truncatingIfNeeded: random.next())) }
    x += [.nan, -.nan, .infinity, -.infinity, .greatestFiniteMagnitude, 0x1p-149, -0.0, 1.00390625, 1.01171875]
    var nearest = [UInt16](repeating: 0, count: x.count), stochastic = nearest
    optimisers_bfloat16_narrow(&nearest, x, x.count)
    let stream = CounterRandom.stream(seed: 9, step: 3, leaf: 1)
    optimisers_bfloat16_narrow_stochastic(&stochastic, x, x.count, stream, 13)
    for i in x.indices {
      #expect(nearest[i] == BFloat16(x[i]).bitPattern, "\(x[i])")
      #expect(stochastic[i] == BFloat16(x[i], stochasticallyRoundedWith: CounterRandom.bits(stream, 13 + i)).bitPattern, "\(x[i])")
    }
    var wide = [Float](repeating: 0, count: x.count)
    optimisers_bfloat16_widen(&wide, nearest, x.count)
    #expect(zip(wide, nearest).allSatisfy { $0.bitPattern == BFloat16(bitPattern: $1).floatValue.bitPattern })
  }

  /// One step of 8-bit Adam element by element, as the scalar pass computed
  /// it: decode, the rule's update in Float, round the parameter, encode.
  func scalarStep<S: ParameterScalar>(
    _ p: inout [S], _ g: [S], _ m: QuantisedTensor, _ v: QuantisedTensor, _ kernel: Adam<Tensor<S>>.QuantisedUpdate,
    store: (Float, Int) -> S
  ) -> (m: [Float], v: [Float]) {
    var (mt, vt) = (m.dequantised(), v.dequantised())
    for i in p.indices {
      var q = ScalarConversion.float(p[i])
      kernel.update(&q, ScalarConversion.float(g[i]), &mt[i], &vt[i])
      p[i] = store(q, i)
    }
    return (mt, vt)
  }

  func encodedLikeTheScalarPass(_ values: [Float], _ tensor: QuantisedTensor) -> Bool {
    let map = tensor.map
    for block in 0..<tensor.blockCount {
      let range = block * 256..<min(values.count, block * 256 + 256)
      let largest = range.map { abs(values[$0]) }.max()!
      guard tensor.storage.scales[block] == largest else { return false }
      for i in range where largest > 0 && tensor.storage.codes[i] != map.code(values[i] * (1 / largest)) { return false }
    }
    return true
  }

  @Test(arguments: [0, 1, 2]) func theFusedStepEqualsTheScalarTranscription(kind: Int) {
    var random = SplitMix64(seed: UInt64(60 + kind))
    let n = 2 * 256 + 37
    let rule = Adam<Tensor<Float>>(learningRate: 0.01)
    if kind == 0 {
      var p = Tensor<Float>(shape: [n], scalars: (0..<n).map { _ in Float(random.nextStandardNormal()) })
      let optimiser = Quantised(rule)
      var state = optimiser.initialState(for: p)
      for t in 1...4 {
        let g = Tensor<Float>(shape: [n], scalars: (0..<n).map { _ in Float(random.nextStandardNormal()) * 0.1 })
        var expected = p.scalars
        let (m, v) = scalarStep(&expected, g.scalars, state.firstMoment[0], state.secondMoment![0],
                                rule.quantisedKernel(step: t)) { q, _ in q }
        optimiser.update(&state, &p, g)
        #expect(p.scalars.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(encodedLikeTheScalarPass(m, state.firstMoment[0]) && encodedLikeTheScalarPass(v, state.secondMoment![0]))
      }
    } else {
      let half = Adam<Tensor<BFloat16>>(learningRate: 0.01)
      let seed: UInt64? = kind == 2 ? 77 : nil
      let optimiser = Quantised(half, rounding: seed.map { .stochastic(seed: $0) } ?? .nearest)
      var p = Tensor<BFloat16>(shape: [n], scalars: (0..<n).map { _ in BFloat16(Float(random.nextStandardNormal())) })
      var state = optimiser.initialState(for: p)
      for t in 1...4 {
        let g = Tensor<BFloat16>(shape: [n], scalars: (0..<n).map { _ in BFloat16(Float(random.nextStandardNormal()) * 0.1) })
        var expected = p.scalars
        let stream = seed.map { CounterRandom.stream(seed: $0, step: t, leaf: 0) }
        let (m, v) = scalarStep(&expected, g.scalars, state.firstMoment[0], state.secondMoment![0],
                                half.quantisedKernel(step: t)) { q, i in
          stream.map { BFloat16(q, stochasticallyRoundedWith: CounterRandom.bits($0, i)) } ?? BFloat16(q)
        }
        optimiser.update(&state, &p, g)
        #expect(p.scalars.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(encodedLikeTheScalarPass(m, state.firstMoment[0]) && encodedLikeTheScalarPass(v, state.secondMoment![0]))
      }
    }
  }
  /// The fused 8-bit Adam pass, AVX2 against portable, bit for bit: Float and
  /// bfloat16 leaves (nearest and stochastic), the plain and the ε_root form
  /// with coupled and decoupled weight decay, a partial last block, a block
  /// with scale 0, one with scale NaN and a gradient that poisons a block.
  @Test(arguments: [0, 1, 2]) func theFusedAdamPassGivesTheSameBitsOnEveryPath(kind: Int) {
    var random = SplitMix64(seed: UInt64(90 + kind))
    let n = 3 * 256 + 13, blocks = 4
    let coefficients = [
      optimisers_adam_coefficients(mix1: 0.1, keep2: 0.999, mix2: 0.001, l2: 0, shrink: 1, step_size: 0.01, inner: 1,
                                   epsilon_root: 0, outer: 0.3, epsilon: 1e-8),
      optimisers_adam_coefficients(mix1: 0.1, keep2: 0.99, mix2: 0.01, l2: 0.05, shrink: 0.999, step_size: 0.003,
                                   inner: 0.02, epsilon_root: 1e-9, outer: 1, epsilon: 0),
    ]
    for c in coefficients {
      let wide: [Float] = (0..<2 * n).map { _ in Float(random.nextStandardNormal()) }
      var g = Array(wide[n...]).map { $0 * 0.1 }
      g[2 * 256 + 5] = .nan
      var mCodes = (0..<n).map { _ in UInt8(truncatingIfNeeded: random.next()) }
      var vCodes = (0..<n).map { _ in UInt8(truncatingIfNeeded: random.next()) }
      var mScales: [Float] = [0.5, 0, 2, .nan], vScales: [Float] = [0.25, 0, 1e-3, 3]
      func pass(_ p: inout [UInt32], _ g: [UInt32], _ mc: inout [UInt8], _ ms: inout [Float], _ vc: inout [UInt8],
                _ vs: inout [Float], portable: Bool) {
        let (m, v) = (UnsafeMutablePointer<UInt8>.allocate(capacity: n), UnsafeMutablePointer<UInt8>.allocate(capacity: n))
        let (sm, sv) = (UnsafeMutablePointer<Float>.allocate(capacity: blocks), UnsafeMutablePointer<Float>.allocate(capacity: blocks))
        defer { m.deallocate(); v.deallocate(); sm.deallocate(); sv.deallocate() }
        m.initialize(from: mc, count: n)
        v.initialize(from: vc, count: n)
        sm.initialize(from: ms, count: blocks)
        sv.initialize(from: vs, count: blocks)
        p.withUnsafeMutableBytes { p in
          g.withUnsafeBytes { g in
            var run = optimisers_adam8_leaf(
              p: p.baseAddress, g: g.baseAddress, m_codes: m, v_codes: v, m_scales: sm, v_scales: sv,
              m_map: UnsafePointer(QuantisationMap.signed.tables), v_map: UnsafePointer(QuantisationMap.unsigned.tables),
              coefficients: c, stream: 0x1234_5678_9ABC, first: 512, bfloat16: kind == 0 ? 0 : 1,
              stochastic: kind == 2 ? 1 : 0)
            if portable { optimisers_adam8_portable(&run, 0, n) } else { optimisers_adam8(&run, 0, n) }
          }
        }
        (mc, vc) = (Array(UnsafeBufferPointer(start: m, count: n)), Array(UnsafeBufferPointer(start: v, count: n)))
        (ms, vs) = (Array(UnsafeBufferPointer(start: sm, count: blocks)), Array(UnsafeBufferPointer(start: sv, count: blocks)))
      }
      // Float bits, or bfloat16 bits packed two to a word.
      func bits(_ x: [Float]) -> [UInt32] {
        if kind == 0 { return x.map(\.bitPattern) }
        return stride(from: 0, to: x.count, by: 2).map { i in
          UInt32(BFloat16(x[i]).bitPattern) | (i + 1 < x.count ? UInt32(BFloat16(x[i + 1]).bitPattern) << 16 : 0)
        }
      }
      var (p1, p2) = (bits(Array(wide[..<n])), bits(Array(wide[..<n])))
      var (mc2, ms2, vc2, vs2) = (mCodes, mScales, vCodes, vScales)
      pass(&p1, bits(g), &mCodes, &mScales, &vCodes, &vScales, portable: false)
      pass(&p2, bits(g), &mc2, &ms2, &vc2, &vs2, portable: true)
      #expect(p1 == p2 && mCodes == mc2 && vCodes == vc2)
      #expect(mScales.map(\.bitPattern) == ms2.map(\.bitPattern) && vScales.map(\.bitPattern) == vs2.map(\.bitPattern))
      #expect(mScales[2].isNaN && !mScales[1].isNaN && mScales.count == blocks, "the NaN gradient poisons block 2 only")
    }
  }
}
