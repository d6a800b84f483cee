import Foundation
import Optimisers
import Testing

/// Random gradients for `steps` updates of a tensor of `shape`.
func randomGradients<S: ParameterScalar>(_: S.Type, shape: [Int], steps: Int, seed: UInt64) -> [Tensor<S>] {
  (0..<steps).map { Tensor(randomNormal: shape, seed: seed &+ UInt64($0)) }
}

/// Runs `optimiser` over `gradients` from `start`.
func run<O: Optimiser>(
  _ optimiser: O, from start: O.Params, gradients: [O.Params.TangentVector]
) -> (params: O.Params, state: O.State) {
  var params = start
  var state = optimiser.initialState(for: start)
  for gradient in gradients { optimiser.update(&state, &params, gradient) }
  return (params, state)
}

/// Doubles every gradient element: a gradient map to check that `Scheduled`
/// passes its map through.
struct DoublingMap: GradientMap {
  func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar { 2 * gradient }
}

@Suite struct ScheduledTests {
  static let shape = [3, 4]

  func start<S: ParameterScalar>(_: S.Type) -> Tensor<S> { Tensor(randomNormal: Self.shape, seed: 99) }

  // MARK: The seed's decay

  func checkDecayEquivalence<S: ParameterScalar>(_: S.Type) {
    let gradients = randomGradients(S.self, shape: Self.shape, steps: 40, seed: 7)
    let p0 = start(S.self)
    let eta = 0.05, d = 0.37
    let sgd = run(SGD<Tensor<S>>(learningRate: eta, decay: d), from: p0, gradients: gradients)
    let sgdScheduled = run(Scheduled(SGD<Tensor<S>>(learningRate: eta), \.learningRate,
                                     by: InverseDecay(initial: eta, decay: d)), from: p0, gradients: gradients)
    #expect(sgd.params.bitPatternsEqual(sgdScheduled.params))
    #expect(sgd.state == sgdScheduled.state.base && sgdScheduled.state.step == 40)

    let momentum = run(Momentum<Tensor<S>>(learningRate: eta, momentum: 0.8, decay: d), from: p0, gradients: gradients)
    let momentumScheduled = run(Scheduled(Momentum<Tensor<S>>(learningRate: eta, momentum: 0.8), \.learningRate,
                                          by: InverseDecay(initial: eta, decay: d)), from: p0, gradients: gradients)
    #expect(momentum.params.bitPatternsEqual(momentumScheduled.params))
    #expect(momentum.state.velocity.bitPatternsEqual(momentumScheduled.state.base.velocity))

    let nesterov = run(Nesterov<Tensor<S>>(learningRate: eta, momentum: 0.8, decay: d), from: p0, gradients: gradients)
    let nesterovScheduled = run(Scheduled(Nesterov<Tensor<S>>(learningRate: eta, momentum: 0.8), \.learningRate,
                                          by: InverseDecay(initial: eta, decay: d)), from: p0, gradients: gradients)
    #expect(nesterov.params.bitPatternsEqual(nesterovScheduled.params))
    #expect(nesterov.state == nesterovScheduled.state.base)

    let adam = run(Adam<Tensor<S>>(learningRate: eta, decay: d), from: p0, gradients: gradients)
    let adamScheduled = run(Scheduled(Adam<Tensor<S>>(learningRate: eta), \.learningRate,
                                      by: InverseDecay(initial: eta, decay: d)), from: p0, gradients: gradients)
    #expect(adam.params.bitPatternsEqual(adamScheduled.params))
    #expect(adam.state.firstMoment.bitPatternsEqual(adamScheduled.state.base.firstMoment))
    #expect(adam.state.secondMoment.bitPatternsEqual(adamScheduled.state.base.secondMoment))
    // The decay really changes the run.
    let undecayed = run(Adam<Tensor<S>>(learningRate: eta), from: p0, gradients: gradients)
    #expect(!undecayed.params.bitPatternsEqual(adam.params))
  }

  @Test func theSeedsDecayIsInverseDecayBitwiseInDouble() { checkDecayEquivalence(Double.self) }
  @Test func theSeedsDecayIsInverseDecayBitwiseInFloat() { checkDecayEquivalence(Float.self) }

  // MARK: Laws

  func checkConstantLaw<S: ParameterScalar>(_: S.Type, seed: UInt64) {
    var random = SplitMix64(seed: seed)
    for trial in 0..<10 {
      let adam = Adam<Tensor<S>>(
        learningRate: 0.001 + 0.1 * random.nextUnitInterval(), beta1: 0.5 + 0.49 * random.nextUnitInterval(),
        beta2: 0.9 + 0.0999 * random.nextUnitInterval(), epsilon: 1e-8 + 1e-3 * random.nextUnitInterval())
      let gradients = randomGradients(S.self, shape: Self.shape, steps: 25, seed: seed &+ UInt64(trial) &* 1000)
      let p0 = Tensor<S>(randomNormal: Self.shape, seed: random.next())
      let plain = run(adam, from: p0, gradients: gradients)
      let scheduled = run(Scheduled(adam, \.learningRate, by: Constant(value: adam.learningRate)),
                          from: p0, gradients: gradients)
      let both = run(Scheduled(adam, [(\.learningRate, Constant(value: adam.learningRate)),
                                      (\.beta1, Constant(value: adam.beta1))]), from: p0, gradients: gradients)
      #expect(plain.params.bitPatternsEqual(scheduled.params))
      #expect(plain.params.bitPatternsEqual(both.params))
      #expect(plain.state.firstMoment.bitPatternsEqual(scheduled.state.base.firstMoment))
      #expect(plain.state.secondMoment.bitPatternsEqual(scheduled.state.base.secondMoment))
      #expect(plain.state.step == scheduled.state.step)
    }
  }

  @Test func aConstantScheduleIsBitwiseTheUnscheduledRuleInDouble() { checkConstantLaw(Double.self, seed: 21) }
  @Test func aConstantScheduleIsBitwiseTheUnscheduledRuleInFloat() { checkConstantLaw(Float.self, seed: 22) }

  func checkResume<S: ParameterScalar>(_: S.Type, seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    for _ in 0..<5 {
      let total = 30
      let split = Int.random(in: 1..<total, using: &random)
      let optimiser = Scheduled(
        Scheduled(Adam<Tensor<S>>(), \.learningRate,
                  by: WarmupCosine(peak: 0.05, warmupSteps: 5, decaySteps: total)),
        \.base.beta1, by: Cyclic(base: 0.8, maximum: 0.95, stepSizeUp: 4))
      let gradients = randomGradients(S.self, shape: Self.shape, steps: total, seed: random.next())
      let p0 = Tensor<S>(randomNormal: Self.shape, seed: random.next())
      let straight = run(optimiser, from: p0, gradients: gradients)

      var params = p0
      var state = optimiser.initialState(for: p0)
      for gradient in gradients[..<split] { optimiser.update(&state, &params, gradient) }
      let data = try JSONEncoder().encode(state)
      let paramData = try JSONEncoder().encode(params)
      var restored = try JSONDecoder().decode(type(of: state), from: data)
      var restoredParams = try JSONDecoder().decode(Tensor<S>.self, from: paramData)
      try optimiser.validate(restored, for: restoredParams)
      #expect(restored.step == split && restored.base.step == split)
      for gradient in gradients[split...] { optimiser.update(&restored, &restoredParams, gradient) }
      #expect(restoredParams.bitPatternsEqual(straight.params))
      #expect(restored.base.base.firstMoment.bitPatternsEqual(straight.state.base.base.firstMoment))
      #expect(restored.base.base.secondMoment.bitPatternsEqual(straight.state.base.base.secondMoment))
      #expect(restored.step == total && restored.base.step == total)
    }
  }

  @Test func encodingAScheduledStateMidRunResumesBitExactlyInDouble() throws { try checkResume(Double.self, seed: 31) }
  @Test func encodingAScheduledStateMidRunResumesBitExactlyInFloat() throws { try checkResume(Float.self, seed: 32) }

  // MARK: Several hyperparameters

  /// Pairs and nesting both read the one step: each equals running the rule with
  /// the hyperparameters set by hand at every step.
  @Test func severalHyperparametersReadTheSameStep() {
    let lr = CosineDecay(initial: 0.1, decaySteps: 20, alpha: 0.1)
    let mu = CosineDecay(initial: 0.5, decaySteps: 10, alpha: 1.8)  // rises from 0.5 to 0.9
    let gradients = randomGradients(Double.self, shape: Self.shape, steps: 30, seed: 3)
    let p0 = start(Double.self)
    let rule = Momentum<Tensor<Double>>(learningRate: 1, momentum: 0)

    var manualParams = p0
    var manualState = rule.initialState(for: p0)
    for (step, gradient) in gradients.enumerated() {
      let adjusted = rule.adjusted(\.learningRate, to: lr(step)).adjusted(\.momentum, to: mu(step))
      adjusted.update(&manualState, &manualParams, gradient)
    }
    let paired = run(Scheduled(rule, [(\.learningRate, lr), (\.momentum, mu)]), from: p0, gradients: gradients)
    let nested = run(Scheduled(Scheduled(rule, \.learningRate, by: lr), \.base.momentum, by: mu),
                     from: p0, gradients: gradients)
    #expect(paired.params.bitPatternsEqual(manualParams))
    #expect(nested.params.bitPatternsEqual(manualParams))
    #expect(paired.state.base == manualState)
    #expect(nested.state.base.base == manualState)
  }

  @Test func nestedStatesThatCountDifferentStepsAreRejected() throws {
    let optimiser = Scheduled(Scheduled(SGD<Tensor<Double>>(), \.learningRate, by: Constant(value: 0.1)),
                              \.base.decay, by: Constant(value: 0))
    let p0 = start(Double.self)
    var state = optimiser.initialState(for: p0)
    try optimiser.validate(state, for: p0)
    state.base.step = 3
    #expect(throws: OptimiserError.self) { try optimiser.validate(state, for: p0) }
  }

  @Test func theGradientMapIsPassedThrough() {
    let gradients = randomGradients(Double.self, shape: Self.shape, steps: 10, seed: 5)
    let p0 = start(Double.self)
    let adam = Adam<Tensor<Double>>(learningRate: 0.01)
    var plainParams = p0, plainState = adam.initialState(for: p0)
    let scheduled = Scheduled(adam, \.learningRate, by: Constant(value: 0.01))
    var params = p0, state = scheduled.initialState(for: p0)
    for gradient in gradients {
      adam.update(&plainState, &plainParams, gradient, preprocessing: DoublingMap())
      scheduled.update(&state, &params, gradient, preprocessing: DoublingMap())
    }
    #expect(params.bitPatternsEqual(plainParams))
    var undoubled = p0, undoubledState = adam.initialState(for: p0)
    for gradient in gradients { adam.update(&undoubledState, &undoubled, gradient) }
    #expect(!undoubled.bitPatternsEqual(params))
  }

  @Test func aStateFromAnotherRuleIsRejected() throws {
    let p0 = start(Double.self)
    let adamState = Adam<Tensor<Double>>().initialState(for: p0)
    let data = try JSONEncoder().encode(adamState)
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(Scheduled<Adam<Tensor<Double>>, Constant>.State.self, from: data)
    }
  }

  @Test func aScheduledValueOutOfRangeStops() async {
    await #expect(processExitsWith: .failure) {
      let optimiser = Scheduled(Adam<Tensor<Double>>(), \.beta1, by: LinearSchedule(initial: 0.9, end: 1.5, transitionSteps: 4))
      var params = Tensor<Double>(randomNormal: [2], seed: 1)
      var state = optimiser.initialState(for: params)
      for _ in 0..<4 { optimiser.update(&state, &params, Tensor<Double>(randomNormal: [2], seed: 2)) }
    }
  }

  /// A metric-driven factor composes with a time-based schedule inside a
  /// scheduled optimiser.
  @Test func aPlateauFactorMultipliesATimeBasedSchedule() {
    let cosine = WarmupCosine(peak: 0.1, warmupSteps: 3, decaySteps: 50)
    var optimiser = Scheduled(SGD<Tensor<Double>>(), \.learningRate,
                              by: cosine * ReduceOnPlateau(factor: 0.5, patience: 1))
    let p0 = start(Double.self)
    var params = p0, state = optimiser.initialState(for: p0)
    var rates: [Double] = []
    for loss in [1.0, 0.9, 0.95, 0.97, 0.99, 0.98] {
      for _ in 0..<4 {
        rates.append(optimiser.base(at: state.step).learningRate)
        optimiser.update(&state, &params, Tensor(repeating: 1, shape: Self.shape))
      }
      optimiser.schedule.second.advance(with: loss)
    }
    // The factor halves after two bad epochs (the 4th metric, so from step 16 on),
    // and again after two more (the 6th metric, after the last update).
    #expect(optimiser.schedule.second.value == 0.25)
    for (step, rate) in rates.enumerated() {
      let factor = step < 16 ? 1.0 : 0.5
      #expect(rate == cosine(step) * factor)
    }
  }
}
