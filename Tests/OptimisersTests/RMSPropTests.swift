import Optimisers
import Testing

@Suite struct RMSPropTests {
  /// Buffers exist only when the configuration uses them.
  @Test func stateHoldsOnlyTheBuffersInUse() {
    let p = Tensor<Double>([1, 2])
    #expect(RMSProp<Tensor<Double>>().initialState(for: p).meanGradient == nil)
    #expect(RMSProp<Tensor<Double>>().initialState(for: p).momentumBuffer == nil)
    let full = RMSProp<Tensor<Double>>(momentum: 0.5, centred: true).initialState(for: p)
    #expect(full.meanGradient != nil && full.momentumBuffer != nil)
  }

  /// Switching `centred` and `momentum` on through key paths after making the
  /// state starts the new buffers at zero: the same run as a rule configured so
  /// from the start.
  @Test func buffersSwitchedOnLaterStartAtZero() {
    var random = SplitMix64(seed: 77)
    let start: Tensor<Float> = random.tensor([3, 2])
    let gradients: [Tensor<Float>] = (0..<4).map { _ in random.tensor([3, 2]) }
    let configured = RMSProp<Tensor<Float>>(learningRate: 0.01, momentum: 0.7, centred: true)
    var plain = RMSProp<Tensor<Float>>(learningRate: 0.01)
    var a = start, b = start
    var stateA = configured.initialState(for: a)
    var stateB = plain.initialState(for: b)
    plain.centred = true
    plain = plain.adjusted(\.momentum, to: 0.7)
    for g in gradients {
      configured.update(&stateA, &a, g)
      plain.update(&stateB, &b, g)
    }
    #expect(a.bitPatternsEqual(b))
    #expect(stateA == stateB)
  }

  @Test func defaultsFollowPyTorch() {
    let rule = RMSProp<Double>()
    #expect(rule.learningRate == 0.01 && rule.rho == 0.99 && rule.epsilon == 1e-8 && rule.momentum == 0)
    #expect(!rule.centred && rule.epsilonPlacement == .outside)
  }
}
