import Optimisers
import Testing

@Suite struct ScheduledOptionalHyperparameterTests {
  static let shape = [3, 4]

  /// Scheduling OAdam's `optimism` (nil means η) with a constant gives the
  /// rule built with that optimism; with a varying schedule each step uses its
  /// value.
  @Test func oadamOptimism() throws {
    let gradients = randomGradients(Double.self, shape: Self.shape, steps: 30, seed: 11)
    let start = Tensor<Double>(randomNormal: Self.shape, seed: 12)
    let fixed = run(OAdam<Tensor<Double>>(learningRate: 0.01, optimism: 0.03), from: start, gradients: gradients)
    let scheduled = run(Scheduled(OAdam<Tensor<Double>>(learningRate: 0.01), \.optimism, by: Constant(value: 0.03)),
                        from: start, gradients: gradients)
    #expect(scheduled.params.bitPatternsEqual(fixed.params))
    let default_ = run(OAdam<Tensor<Double>>(learningRate: 0.01), from: start, gradients: gradients)
    #expect(!default_.params.bitPatternsEqual(fixed.params))

    let ramp = LinearSchedule(initial: 0, end: 0.05, transitionSteps: 20)
    let optimiser = Scheduled(OAdam<Tensor<Double>>(learningRate: 0.01), \.optimism, by: ramp)
    #expect(optimiser.base.optimism == nil)
    for step in [0, 7, 20, 25] { #expect(try optimiser.checkedBase(at: step).optimism == ramp(step)) }
    var params = start
    var state = optimiser.initialState(for: start)
    var manualParams = start
    var manualState = OAdam<Tensor<Double>>().initialState(for: start)
    for (step, gradient) in gradients.enumerated() {
      optimiser.update(&state, &params, gradient)
      OAdam<Tensor<Double>>(learningRate: 0.01, optimism: ramp(step)).update(&manualState, &manualParams, gradient)
    }
    #expect(params.bitPatternsEqual(manualParams))
  }

  /// Adafactor's optional learning rate: a constant schedule is the fixed
  /// rate, including from a base whose rate is `nil` (no cap).
  @Test func adafactorLearningRate() throws {
    let gradients = randomGradients(Double.self, shape: Self.shape, steps: 20, seed: 13)
    let start = Tensor<Double>(randomNormal: Self.shape, seed: 14)
    for variant in [Adafactor<Tensor<Double>>.Variant.pytorch, .optax] {
      let fixed = run(Adafactor<Tensor<Double>>(learningRate: 0.02, variant: variant), from: start, gradients: gradients)
      let scheduled = run(
        Scheduled(Adafactor<Tensor<Double>>(learningRate: nil, variant: variant), \.learningRate, by: Constant(value: 0.02)),
        from: start, gradients: gradients)
      #expect(scheduled.params.bitPatternsEqual(fixed.params))
    }
  }

  /// The `validating:` form checks the scheduled values where the schedule
  /// reaches its extremes.
  @Test func validatingRejectsAScheduleThatLeavesTheRange() {
    let falling = LinearSchedule(initial: 0.1, end: -0.1, transitionSteps: 10)
    #expect(throws: OptimiserError.self) {
      try Scheduled(validating: OAdam<Tensor<Double>>(), \.optimism, by: falling)
    }
    do {
      _ = try Scheduled(validating: OAdam<Tensor<Double>>(), \.optimism, by: falling)
    } catch {
      #expect(error.description.contains("step 10") && error.description.contains("optimism"))
    }
    #expect(throws: Never.self) {
      try Scheduled(validating: OAdam<Tensor<Double>>(), \.optimism, by: Constant(value: 0.1))
    }
  }

  /// A run with a scheduled optional hyperparameter resumes from its checkpoint
  /// bit for bit.
  @Test func resumesFromACheckpoint() throws {
    let optimiser = Scheduled(OAdam<Tensor<Double>>(learningRate: 0.01), \.optimism,
                              by: CosineAnnealing(initial: 0.02, maximumSteps: 10))
    let gradients = randomGradients(Double.self, shape: Self.shape, steps: 30, seed: 15)
    let start = Tensor<Double>(randomNormal: Self.shape, seed: 16)
    let whole = run(optimiser, from: start, gradients: gradients)
    var params = start
    var state = optimiser.initialState(for: start)
    for gradient in gradients.prefix(12) { optimiser.update(&state, &params, gradient) }
    let bytes = try optimiser.checkpoint(state, for: params).encoded()
    var resumed = try optimiser.restore(from: Checkpoint(decoding: bytes), for: params)
    #expect(resumed.step == 12)
    for gradient in gradients.dropFirst(12) { optimiser.update(&resumed, &params, gradient) }
    #expect(params.bitPatternsEqual(whole.params))
  }
}
