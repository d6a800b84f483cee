import Optimisers
import Testing

/// Every option of the quantisable rules reaches the 8-bit kernel: from the zero
/// state, whose codes decode to exact zeros, the first 8-bit step of `Float`
/// parameters moves them exactly as the 32-bit rule does (the moments are
/// rounded to 8 bits only after the step).
@Suite struct QuantisedOptionTests {
  /// 1000 values (more than a 256-value block, so the fused C pass runs its
  /// vector loop and its tail): with a step size η/(1 − β₁) other than 1, a
  /// difference in the order of the last operations shows in some of them.
  let p = Tensor<Float>(shape: [1000], scalars: (0..<1000).map { Float(($0 * 7919) % 2003) / 401 - 2.5 })
  let g = Tensor<Float>(shape: [1000], scalars: (0..<1000).map { Float(($0 * 104_729) % 1999) / 3997 - 0.25 })

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

  /// How many positions of the two steps differ in any bit.
  func differences(_ steps: (exact: [Float], eightBit: [Float])) -> Int {
    zip(steps.exact, steps.eightBit).filter { $0.bitPattern != $1.bitPattern }.count
  }

  @Test func adamOptionsReachTheKernel() {
    let rules: [Adam<Tensor<Float>>] = [
      Adam(learningRate: 0.03),
      Adam(learningRate: 0.03, weightDecay: 0.3),
      Adam(learningRate: 0.03, weightDecay: 0.3, decoupledWeightDecay: true),
      Adam(learningRate: 0.03, epsilon: 0, epsilonRoot: 1e-4),
      Adam(learningRate: 0.03, decay: 0.5, epsilonRoot: 1e-6, weightDecay: 0.01),
    ]
    for rule in rules {
      let steps = firstSteps(rule)
      #expect(differences(steps) == 0, "\(rule)")
      #expect(steps.exact != p.scalars)
    }
  }

  @Test func adamWOptionsReachTheKernel() {
    #expect(differences(firstSteps(AdamW<Tensor<Float>>(learningRate: 0.03, weightDecay: 0.5, epsilonRoot: 1e-4))) == 0)
  }

  @Test func momentumOptionsReachTheKernel() {
    for rule in [Momentum<Tensor<Float>>(learningRate: 0.1, momentum: 0.9, dampening: 0.5, weightDecay: 0.2),
                 Momentum<Tensor<Float>>(learningRate: 0.1, momentum: 0.9, weightDecay: 0.2)] {
      #expect(differences(firstSteps(rule)) == 0, "\(rule)")
    }
  }
}
