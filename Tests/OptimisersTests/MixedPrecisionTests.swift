import Optimisers
import Testing

/// The master-weight wrapper: small updates accumulate in the copy, the loss
/// scale backs off and grows, and it composes with SkipNonFinite.
@Suite struct MixedPrecisionTests {
  @Test func smallUpdatesAccumulateInTheMasterCopy() {
    // Steps of 1e-4 on weights of 1 are below half a bfloat16 ulp (2⁻⁸): plain
    // SGD on bfloat16 never moves; through the master copy the weights reach
    // 1 − 100 × 1e-4 = 0.99, rounded.
    let g = Tensor<BFloat16>(repeating: 1, shape: [4])
    var plain = Tensor<BFloat16>(repeating: 1, shape: [4]), mastered = plain
    let sgd = SGD<Tensor<BFloat16>>(learningRate: 1e-4)
    var plainState = sgd.initialState(for: plain)
    let mixed = MixedPrecision(SGD(learningRate: 1e-4), parameters: Tensor<BFloat16>.self)
    var state = mixed.initialState(for: mastered)
    for _ in 0..<100 {
      sgd.update(&plainState, &plain, g)
      mixed.update(&state, &mastered, g)
    }
    #expect(plain.scalars.allSatisfy { $0 == 1 })
    #expect(state.master.scalars.allSatisfy { abs($0 - 0.99) < 1e-5 })
    #expect(mastered.scalars.allSatisfy { $0 == BFloat16(Float(0.99)) })
  }

  @Test func stochasticRoundingKeepsSmallUpdatesOnAverage() {
    // Without a master copy: 8-bit SGD-like steps with stochastic write-back
    // move bfloat16 weights by the right amount on average.
    let n = 4096
    let optimiser = Quantised(Momentum<Tensor<BFloat16>>(learningRate: 1e-4, momentum: 0), rounding: .stochastic(seed: 9))
    var p = Tensor<BFloat16>(repeating: 1, shape: [n])
    var state = optimiser.initialState(for: p)
    let g = Tensor<BFloat16>(repeating: 1, shape: [n])
    for _ in 0..<100 { optimiser.update(&state, &p, g) }
    let mean = p.scalars.reduce(0.0) { $0 + Double($1) } / Double(n)
    #expect(abs(mean - 0.99) < 5e-4, "mean \(mean)")
    let nearest = Quantised(Momentum<Tensor<BFloat16>>(learningRate: 1e-4, momentum: 0))
    var q = Tensor<BFloat16>(repeating: 1, shape: [n])
    var s = nearest.initialState(for: q)
    for _ in 0..<100 { nearest.update(&s, &q, g) }
    #expect(q.scalars.allSatisfy { $0 == 1 })
  }

  @Test func theLossScaleBacksOffAndGrows() {
    let scaling = DynamicLossScale(initialScale: 1024, growthInterval: 3)
    let mixed = MixedPrecision(Adam(learningRate: 0.1), parameters: Tensor<Float16>.self, lossScale: scaling)
    var p = Tensor<Float16>([1, 2])
    var state = mixed.initialState(for: p)
    #expect(mixed.lossScale(of: state) == 1024)
    mixed.update(&state, &p, Tensor<Float16>([.infinity, 1]))
    #expect(mixed.lossScale(of: state) == 512 && state.step == 0 && state.lossScale?.skippedSteps == 1)
    #expect(p.scalars == [1, 2])
    for _ in 0..<3 { mixed.update(&state, &p, Tensor<Float16>([512, 512])) }
    #expect(mixed.lossScale(of: state) == 1024 && state.step == 3)
    // The gradient was divided by the scale: Adam's first step moves by η
    // whatever the size, and the master moved three times by about 0.1.
    #expect(abs(state.master.scalars[0] - 0.7) < 0.01)
  }

  @Test func composesWithSkipNonFinite() {
    let scaling = DynamicLossScale(initialScale: 16, forwardsNonFinite: true)
    let mixed = MixedPrecision(SkipNonFinite(Adam(learningRate: 0.1)), parameters: Tensor<BFloat16>.self, lossScale: scaling)
    var p = Tensor<BFloat16>([1, 2])
    var state = mixed.initialState(for: p)
    mixed.update(&state, &p, Tensor<BFloat16>([.nan, 1]))
    #expect(state.base.nonFiniteSteps == 1 && mixed.lossScale(of: state) == 8)
    #expect(state.master.scalars == [1, 2] && p.scalars == [1, 2])
    mixed.update(&state, &p, Tensor<BFloat16>([8, 8]))
    #expect(state.base.nonFiniteSteps == 1 && state.base.consecutiveNonFiniteSteps == 0)
    #expect(p.scalars[0] < 1)
  }

  @Test func checkpointsResume() throws {
    let mixed = MixedPrecision(Adam(), parameters: Tensor<BFloat16>.self, rounding: .stochastic(seed: 5), lossScale: .init())
    var p = Tensor<BFloat16>([1, 2, 3])
    var state = mixed.initialState(for: p)
    mixed.update(&state, &p, Tensor<BFloat16>([1, -1, 2]))
    let restored = try mixed.restore(from: try mixed.checkpoint(state, for: p), for: p)
    #expect(restored.master.parametersBitwiseEqual(state.master) && restored.lossScale == state.lossScale)
    #expect(throws: OptimiserError.self) { try mixed.validate(state, for: Tensor<BFloat16>([1, 2])) }
  }
}
