import Optimisers
import Testing

/// Hyperparameters of any rule inside any wrapper can be read and changed by
/// key path mid-training, type-checked, without touching the state.
@Suite struct HyperparameterInjectionTests {
  typealias M = AffineModel<Double>

  /// Runs `first` for three steps, then `second` (an adjusted copy) from the same
  /// state for three more.
  func switched<O: Optimiser>(_ first: O, _ second: O, _ model: M, _ gradients: [M.TangentVector]) -> M
  where O.Params == M {
    var p = model
    var s = first.initialState(for: p)
    for g in gradients[..<3] { first.update(&s, &p, g) }
    for g in gradients[3...] { second.update(&s, &p, g) }
    return p
  }

  func unchangedByAdjustingToTheCurrentValue<O: Optimiser>(
    _ optimiser: O, _ path: WritableKeyPath<O, Double>, _ label: String
  ) where O.Params == M {
    let model = affine(Double.self, seed: 50)
    let gradients = WrapperLaws.gradients(for: model, steps: 6, seed: 51)
    let same = optimiser.adjusted(path, to: optimiser[keyPath: path])
    let reference = WrapperLaws.trajectory(optimiser, from: model, gradients).params.last!
    #expect(switched(optimiser, same, model, gradients).parametersBitwiseEqual(reference), "\(label)")
  }

  @Test func adjustingAHyperparameterToItsCurrentValueChangesNothing() {
    let chain = Chain(ClipValue(1), WeightDecay(1e-2).masked(.rank(atLeast: 2)), Adam<M>(learningRate: 0.01))
    unchangedByAdjustingToTheCurrentValue(chain, \.rule.learningRate, "chain rule")
    unchangedByAdjustingToTheCurrentValue(chain, \.leading.leading.bound, "chain clip")
    unchangedByAdjustingToTheCurrentValue(chain, \.leading.last.inner.coefficient, "masked decay")
    unchangedByAdjustingToTheCurrentValue(Accumulate(every: 2, chain), \.base.rule.beta1, "accumulate")
    unchangedByAdjustingToTheCurrentValue(SkipNonFinite(chain), \.base.rule.epsilon, "skip")
    let lookahead = Lookahead(Adam<M>(), syncPeriod: 2, slowStepSize: 0.5)
    unchangedByAdjustingToTheCurrentValue(lookahead, \.slowStepSize, "lookahead")
    unchangedByAdjustingToTheCurrentValue(lookahead, \.base.learningRate, "lookahead rule")
    unchangedByAdjustingToTheCurrentValue(ExponentialMovingAverage(chain, decay: 0.9), \.decay, "ema")
    let partition = Partition(SGD(learningRate: 0.1), for: \M.bias, otherwise: Adam(learningRate: 0.01))
    unchangedByAdjustingToTheCurrentValue(partition, \.selected.learningRate, "partition selected")
    unchangedByAdjustingToTheCurrentValue(partition, \.rest.beta2, "partition rest")
    let adamW = DecoupledWeightDecay(0.1, Adam<M>(), learningRate: \.learningRate)
    unchangedByAdjustingToTheCurrentValue(adamW, \.coefficient, "decoupled")
    unchangedByAdjustingToTheCurrentValue(Chain(ClipGlobalNorm(1), adamW), \.rule.base.learningRate, "nested")
  }

  @Test func changingTheLearningRateMidRunKeepsTheState() {
    // Chain(ClipValue, SGD) with momentum-free SGD: after the change, a step
    // moves by exactly −η′ · clip(g); Adam's step count continues.
    var p = 0.0
    let chain = Chain(ClipValue(1), Momentum<Double>(learningRate: 0.1, momentum: 0.5))
    var state = chain.initialState(for: p)
    chain.update(&state, &p, 4)  // v = 1, p = −0.1
    let slower = chain.adjusted(\.rule.learningRate, to: 0.01)
    #expect(slower.rule.learningRate == 0.01 && chain.rule.learningRate == 0.1)
    #expect(state.last.velocity == 1 && state.last.step == 1)
    slower.update(&state, &p, 4)  // v = 0.5·1 + 1 = 1.5, p = −0.1 − 0.01·1.5
    #expect(state.last.velocity == 1.5 && state.last.step == 2)
    #expect(p == -0.1 - 0.01 * 1.5)
  }

  @Test func schedulesReachARuleInsideWrappersByKeyPath() {
    // Scheduled sets the chain's rule's learning rate at each step; the same
    // run by hand, adjusting before each step, agrees bit for bit.
    let model = affine(Double.self, seed: 60)
    let gradients = WrapperLaws.gradients(for: model, steps: 8, seed: 61)
    let chain = Accumulate(every: 2, Chain(ClipGlobalNorm(1), WeightDecay(1e-3), Adam<M>(learningRate: 0.01)))
    let schedule = CosineDecay(initial: 0.01, decaySteps: 8)
    let scheduled = Scheduled(chain, \.base.rule.learningRate, by: schedule)
    let automatic = WrapperLaws.trajectory(scheduled, from: model, gradients).params
    var p = model
    var s = chain.initialState(for: p)
    var byHand: [M] = []
    for (step, g) in gradients.enumerated() {
      chain.adjusted(\.base.rule.learningRate, to: schedule(step)).update(&s, &p, g)
      byHand.append(p)
    }
    #expect(WrapperLaws.bitwiseEqual(automatic, byHand))
  }

  @Test func readingHyperparametersThroughWrappers() {
    let optimiser = SkipNonFinite(Accumulate(every: 4, Chain(ClipGlobalNorm(2), Adam<M>(learningRate: 3e-4))))
    #expect(optimiser.base.base.rule.learningRate == 3e-4)
    #expect(optimiser.base.base.leading.maxNorm == 2)
    #expect(optimiser.adjusted(\.base.every, to: 8).base.every == 8)
  }

  @Test func adjustingOutOfRangeStops() async {
    await #expect(processExitsWith: .failure) {
      let chain = Chain(ClipValue(1), SGD<Double>())
      _ = chain.adjusted(\.rule.learningRate, to: -1)
    }
    await #expect(processExitsWith: .failure) {
      let chain = Chain(ClipValue(1), SGD<Double>())
      _ = chain.adjusted(\.leading.bound, to: .nan)
    }
  }
}
