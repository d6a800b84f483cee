import Optimisers
import Testing

@Suite struct OptaxAdafactorTests {
  /// `Adafactor(variant: .optax)` is `OptaxAdafactor` with the same
  /// hyperparameters: the same parameters and statistics, bit for bit, with
  /// and without momentum, on a factored matrix and an unfactored vector.
  @Test(arguments: [nil, 0.9] as [Double?])
  func theOptaxVariantIsOptaxAdafactor(momentum: Double?) {
    typealias M = AffineModel<Double>
    var random = SplitMix64(seed: 41)
    let start = M(weight: random.tensor([6, 5]), bias: random.tensor([5]))
    let gradients = (0..<6).map { _ in Tangent<M>(leaves: [random.tensor([6, 5]), random.tensor([5])]) }
    let variant = Adafactor<M>(
      learningRate: 0.05, decayOffset: 2, clippingThreshold: 0.5, momentum: momentum, weightDecay: 0.01,
      minimumSizeToFactor: 2, variant: .optax)
    let rule = OptaxAdafactor<M>(
      learningRate: 0.05, minimumSizeToFactor: 2, decayOffset: 2, clippingThreshold: 0.5, momentum: momentum,
      weightDecay: 0.01)
    var (p1, p2) = (start, start)
    var (s1, s2) = (variant.initialState(for: start), rule.initialState(for: start))
    for g in gradients {
      variant.update(&s1, &p1, g)
      rule.update(&s2, &p2, g)
    }
    #expect(p1.weight.bitPatternsEqual(p2.weight) && p1.bias.bitPatternsEqual(p2.bias))
    #expect(s1 == s2)
    #expect(s2.statistics[0].rows.shape == [1, 5] && s2.statistics[0].columns.shape == [1, 6] && s2.statistics[1].full.shape == [5])
    #expect((s2.momentum != nil) == (momentum != nil))
  }

  /// optax's defaults: no learning rate, matrices factored only from 128 on, ε₁ = 1e-30.
  @Test func defaultsAreOptaxs() {
    let rule = OptaxAdafactor<Tensor<Float>>()
    #expect(rule.learningRate == nil && rule.minimumSizeToFactor == 128 && rule.epsilon1 == 1e-30)
    #expect(rule.initialState(for: .zeros([64, 200])).statistics[0].full.shape == [64, 200])
    #expect(rule.initialState(for: .zeros([128, 200])).statistics[0].rows.shape == [1, 128])
  }

  /// A state whose statistics do not fit the configuration is refused by name.
  @Test func mismatchedStatisticsAreRefused() {
    let small = OptaxAdafactor<Tensor<Double>>(minimumSizeToFactor: 2)
    let state = OptaxAdafactor<Tensor<Double>>().initialState(for: .zeros([4, 3]))
    #expect(throws: OptimiserError.self) { try small.validate(state, for: .zeros([4, 3])) }
    #expect(throws: Never.self) { try small.validate(small.initialState(for: .zeros([4, 3])), for: .zeros([4, 3])) }
  }
}
