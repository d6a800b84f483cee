import OptimiserLaws
import Optimisers
import Testing

/// ``GradientNoise``: the noise is σₜ times the documented counter-based
/// deviate, σₜ² follows optax's η / t^γ, the deviates are standard normal and
/// independent, and the transform keeps the laws (a zero gradient moves the
/// parameters, so that law is left out).
@Suite struct GradientNoiseTests {
  typealias Model = AffineModel<Double>

  /// The documented recipe, written out here: SplitMix64's polar draw seeded
  /// by the counter-based key of (seed, step, leaf, index).
  static func deviate(seed: UInt64, step: Int, leaf: Int, index: Int) -> Double {
    let key = CounterRandom.stream(seed: seed, step: step, leaf: leaf)
    var generator = SplitMix64(seed: CounterRandom.mix(key &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
    return generator.nextStandardNormal()
  }

  /// With γ = 2, σ₃² = η/9 and σ₄² = η/16; every element's noise is σₜ times
  /// its deviate, on every leaf.
  @Test func addsTheScheduledMultipleOfTheDocumentedDeviate() {
    let noise = GradientNoise(eta: 0.36, gamma: 2, seed: 7)
    let params = Model(weight: .zeros([2, 3]), bias: .zeros([3]))
    var state = GradientNoise.State(step: 2)
    for (t, sigma) in [(3, 0.2), (4, 0.15)] {
      var g = Tangent<Model>(leaves: [Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]), Tensor([0, 0, 0])])
      noise.transform(&state, &g, params)
      #expect(state.step == t)
      for leaf in 0..<2 {
        for i in 0..<g.leaves[leaf].scalars.count {
          let base = leaf == 0 ? Double(i + 1) : 0
          let want = Self.deviate(seed: 7, step: t, leaf: leaf, index: i)
          let got = (g.leaves[leaf].scalars[i] - base) / sigma
          #expect(abs(got - want) <= 1e-12 * max(1, abs(want)), "step \(t) leaf \(leaf) element \(i)")
        }
      }
    }
    #expect(abs(noise.standardDeviation(step: 1) - 0.6) < 1e-15)
    #expect(GradientNoise(eta: 0.3).gamma == 0.55)
  }

  /// 40,000 deviates at a fixed seed: mean within 4 standard errors of 0,
  /// variance within 3 %, fourth moment near 3, and successive steps and
  /// neighbouring elements uncorrelated.
  @Test func deviatesAreStandardNormalAndIndependent() {
    let n = 20_000
    let a = (0..<n).map { GradientNoise.standardNormal(seed: 0x14C, step: 1, leaf: 0, index: $0) }
    let b = (0..<n).map { GradientNoise.standardNormal(seed: 0x14C, step: 2, leaf: 0, index: $0) }
    let all = a + b, count = Double(all.count)
    let mean = all.reduce(0, +) / count
    let variance = all.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / count
    let kurtosis = all.map { pow4(($0 - mean)) }.reduce(0, +) / count / (variance * variance)
    #expect(abs(mean) < 4 / count.squareRoot())
    #expect(abs(variance - 1) < 0.03)
    #expect(abs(kurtosis - 3) < 0.15)
    let acrossSteps = zip(a, b).map { $0 * $1 }.reduce(0, +) / Double(n)
    let acrossElements = zip(a.dropLast(), a.dropFirst()).map { $0 * $1 }.reduce(0, +) / Double(n - 1)
    #expect(abs(acrossSteps) < 4 / Double(n).squareRoot() && abs(acrossElements) < 4 / Double(n).squareRoot())
    #expect(GradientNoise.standardNormal(seed: 1, step: 1, leaf: 0, index: 0) != a[0])
  }

  func pow4(_ x: Double) -> Double { x * x * x * x }

  @Test func keepsTheLawsAndRejectsBadInput() throws {
    let generator = ParameterGenerator<Model>.model(Model(weight: .zeros([3, 4]), bias: .zeros([3])))
    let configuration = LawConfiguration(seed: 0x14C1, trials: 8, maximumSteps: 5)
    let laws = Law.all.subtracting([.zeroGradientFixedPoint])
    let report = OptimiserLaws.check(
      Chain(GradientNoise(eta: 0.01, seed: 3), Momentum<Model>(learningRate: 0.01)), parameters: generator, laws: laws,
      configuration: configuration)
    #expect(report.passed && Set(report.checked) == laws, "\(report)")
    try ThreadCountTests().check(Chain(GradientNoise(eta: 0.01), Adam<AffineModel<Float>>(learningRate: 0.01)))
    #expect(throws: OptimiserError.self) {
      try GradientNoise(eta: 0.1).validate(GradientNoise.State(step: -1), for: Model(weight: .zeros([1]), bias: .zeros([1])))
    }
    var noise = GradientNoise(eta: 0.1)
    noise.eta = -1
    #expect(throws: OptimiserError.self) { try noise.validateHyperparameters() }
  }
}
