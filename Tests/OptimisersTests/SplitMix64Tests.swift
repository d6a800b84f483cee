import Optimisers
import Testing

@Suite struct SplitMix64Tests {
  /// The reference sequence for seed 1234567 from Vigna's C implementation
  /// (splitmix64.c), also reproduced by the Python snippet in Tests/Fixtures/README.md.
  @Test func matchesTheReferenceSequence() {
    var generator = SplitMix64(seed: 1_234_567)
    #expect(generator.next() == 6_457_827_717_110_365_317)
    #expect(generator.next() == 3_203_168_211_198_807_973)
    #expect(generator.next() == 9_817_491_932_198_370_423)
  }

  @Test func unitIntervalStaysInRange() {
    var generator = SplitMix64(seed: 7)
    for _ in 0..<10_000 {
      let u = generator.nextUnitInterval()
      #expect(u >= 0 && u < 1)
    }
  }

  @Test func normalDeviatesHaveUnitMoments() {
    var generator = SplitMix64(seed: 11)
    let n = 20_000
    var sum = 0.0, sumSquares = 0.0
    for _ in 0..<n {
      let x = generator.nextStandardNormal()
      sum += x
      sumSquares += x * x
    }
    let mean = sum / Double(n), variance = sumSquares / Double(n) - mean * mean
    #expect(abs(mean) < 0.03)
    #expect(abs(variance - 1) < 0.05)
  }

  @Test func seededTensorsAreReproducible() {
    let a = Tensor<Double>(randomNormal: [3, 4], seed: 42)
    let b = Tensor<Double>(randomNormal: [3, 4], seed: 42)
    let c = Tensor<Double>(randomNormal: [3, 4], seed: 43)
    #expect(a.bitPatternsEqual(b))
    #expect(!a.bitPatternsEqual(c))
    let u = Tensor<Float>(randomUniform: [100], seed: 1, lowerBound: -2, upperBound: 3)
    #expect(u.scalars.allSatisfy { $0 >= -2 && $0 < 3 })
  }
}
