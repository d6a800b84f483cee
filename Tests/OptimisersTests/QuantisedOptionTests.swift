import Optimisers
import Testing

/// Every option of the quantisable rules reaches the 8-bit kernel: from the zero
/// state, whose codes decode to exact zeros, the first 8-bit step of `Float`
/// parameters moves them exactly as the 32-bit rule does (the moments are
/// rounded to 8 bits only after the step).
@Suite struct QuantisedOptionTests {
  let p = Tensor<Float>(shape: [6], scalars: [0.5, -1.25, 2, 0, -0.75, 3])
  let g = Tensor<Float>(shape: [6], scalars: [0.1, 0.3, -0.2, 0.05, -0.4, 0.25])

  func firstSteps<Rule: QuantisableRule>(_ rule: Rule) -> (exact: [Float], eightBit: [Float])
  where Rule.Params == Tensor<Float> {
    var (exact, eightBit) = (p, p)
    var s = rule.initialState(for: p)
    rule.update(&s, &exact, g)
    let quantised = Quantised(rule)
    var q = quantised.initialState(for: p)
    quantised.update(&q, &eightBit, g)
    return (exact.scalars, eightBit.scalars)
  }

  @Test func adamOptionsReachTheKernel() {
    let rules: [Adam<Tensor<Float>>] = [
      Adam(learningRate: 0.1, weightDecay: 0.3),
      Adam(learningRate: 0.1, weightDecay: 0.3, decoupledWeightDecay: true),
      Adam(learningRate: 0.1, epsilon: 0, epsilonRoot: 1e-4),
      Adam(learningRate: 0.1, decay: 0.5, epsilonRoot: 1e-6, weightDecay: 0.01),
    ]
    for rule in rules {
      let (exact, eightBit) = firstSteps(rule)
      #expect(exact == eightBit, "\(rule)")
      #expect(exact != p.scalars)
    }
  }

  @Test func adamWOptionsReachTheKernel() {
    let (exact, eightBit) = firstSteps(AdamW<Tensor<Float>>(learningRate: 0.1, weightDecay: 0.5, epsilonRoot: 1e-4))
    #expect(exact == eightBit)
  }

  @Test func momentumOptionsReachTheKernel() {
    for rule in [Momentum<Tensor<Float>>(learningRate: 0.1, momentum: 0.9, dampening: 0.5, weightDecay: 0.2),
                 Momentum<Tensor<Float>>(learningRate: 0.1, momentum: 0.9, weightDecay: 0.2)] {
      let (exact, eightBit) = firstSteps(rule)
      #expect(exact == eightBit, "\(rule)")
    }
  }
}
