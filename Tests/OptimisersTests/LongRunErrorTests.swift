import Optimisers
import Testing

/// A long job gets a thrown error it can catch and save from, not a trap: a
/// schedule that leaves its hyperparameter's range, counters at their limit,
/// degenerate schedule arguments.
@Suite struct LongRunErrorTests {
  /// A schedule that does not say where its extremes are: valid at step 0,
  /// out of range for beta1 from step 3 on.
  struct Climbing: Schedule {
    func callAsFunction(_ step: Int) -> Double { 0.9 + 0.05 * Double(step) }
  }

  @Test func aScheduleLeavingTheRangeIsRejectedBeforeTheRun() throws {
    let optimiser = Scheduled(Adam<Tensor<Double>>(), \.beta1, by: LinearSchedule(initial: 0.9, end: 1.5, transitionSteps: 10))
    #expect(throws: OptimiserError.invalidHyperparameter(
      rule: "Scheduled(Adam) at step 10", name: "beta1", value: 1.5, requirement: "in [0, 1)")) {
      try optimiser.validateHyperparameters()
    }
    #expect(throws: OptimiserError.self) {
      try Scheduled(validating: Adam<Tensor<Double>>(), \.beta1, by: LinearSchedule(initial: 0.9, end: 1.5, transitionSteps: 10))
    }
    #expect(throws: Never.self) {
      try Scheduled(validating: Adam<Tensor<Double>>(), \.beta1, by: LinearSchedule(initial: 0.9, end: 0.99, transitionSteps: 10))
    }
    var params = Tensor<Double>([1, 2])
    var state = optimiser.initialState(for: params)
    #expect(throws: OptimiserError.self) { try optimiser.checkedUpdate(&state, &params, Tensor([1, 1])) }
    #expect(state.step == 0 && params == Tensor([1, 2]))
  }

  @Test func aScheduleLeavingTheRangeMidRunThrowsAtThatStepAndKeepsTheState() throws {
    let optimiser = Scheduled(Adam<Tensor<Double>>(), \.beta1, by: Climbing())
    var params = Tensor<Double>([1, 2])
    var state = optimiser.initialState(for: params)
    var thrown: OptimiserError?
    for _ in 0..<10 {
      let before = (state, params)
      do {
        try optimiser.checkedUpdate(&state, &params, Tensor([1, -1]))
      } catch {
        thrown = error
        #expect(state == before.0 && params == before.1)
        break
      }
    }
    #expect(state.step == 2)
    #expect(thrown?.description.contains("Scheduled(Adam) at step 2") == true, "\(String(describing: thrown))")
    // A state at a step where the schedule is out of range is neither saved nor restored.
    #expect(throws: CheckpointError.self) { try optimiser.checkpoint(state, for: params) }
    var early = optimiser.initialState(for: params)
    try optimiser.checkedUpdate(&early, &params, Tensor([1, -1]))
    var checkpoint = try optimiser.checkpoint(early, for: params)
    guard case .object(var members) = checkpoint.state, let index = members.firstIndex(where: { $0.key == "step" }) else {
      Issue.record("no step")
      return
    }
    members[index].value = .integer(5)
    checkpoint.state = .object(members)
    checkpoint.step = 5
    do {
      _ = try optimiser.restore(from: checkpoint, for: params)
      Issue.record("a state at an out-of-range step restored")
    } catch {
      #expect(error.description.contains("at step 5"), "\(error)")
    }
  }

  @Test func nestedSchedulesAreCheckedThroughEveryWrapper() throws {
    let inner = Scheduled(Adam<Tensor<Double>>(), \.beta1, by: Climbing())
    let optimiser = SkipNonFinite(Chain(ClipGlobalNorm(1), inner))
    var params = Tensor<Double>([1, 2])
    var state = optimiser.initialState(for: params)
    var error: NonFiniteError?
    for _ in 0..<5 {
      do { try optimiser.checkedUpdate(&state, &params, Tensor([1, -1])) } catch let e { error = e; break }
    }
    guard case .invalid(let reason)? = error?.reason else { Issue.record("no refusal: \(String(describing: error))"); return }
    #expect(reason.description.contains("at step 2"))
  }

  @Test func skipNonFiniteCountersCannotOverflow() throws {
    let optimiser = SkipNonFinite(SGD<Tensor<Double>>(learningRate: 0.1), policy: .propagate)
    var params = Tensor<Double>([1])
    var state = optimiser.initialState(for: params)
    state.nonFiniteSteps = .max
    state.consecutiveNonFiniteSteps = .max
    #expect(throws: OptimiserError.self) { try optimiser.validate(state, for: params) }
    #expect(throws: CheckpointError.self) { _ = try optimiser.checkpoint(state, for: params) }
    do {
      try optimiser.checkedUpdate(&state, &params, Tensor([.nan]))
      Issue.record("an impossible counter was accepted")
    } catch {
      guard case .invalid = error.reason else { Issue.record("\(error)"); return }
    }
    #expect(params == Tensor([1]))
    state.nonFiniteSteps = 1 << 53
    state.consecutiveNonFiniteSteps = 0
    #expect(throws: Never.self) { try optimiser.checkedUpdate(&state, &params, Tensor([.nan])) }
  }

  @Test func schedulesNeverReturnNaNOrTrapAtExtremeSteps() {
    let steps = [Int.min, Int.min + 1, -1_000_000, -1, 0, 1, 2, 99, 100, 101, 1 << 53, Int.max - 1, Int.max]
    let schedules: [any Schedule] = [
      Constant(value: 0.1), InverseDecay(initial: 0.1, decay: 1), InverseDecay(initial: 0, decay: 1),
      StepDecay(initial: 0, factor: 10, stepSize: 1), StepDecay(initial: 1, factor: 0.5, stepSize: 3),
      PiecewiseConstant(initial: 1, boundaries: [10, 20], scales: [0.1, 0.1]),
      ExponentialDecay(initial: 0, transitionSteps: 1, decayRate: 2), ExponentialDecay(initial: 1, transitionSteps: 1, decayRate: 0.5),
      ExponentialDecay(initial: 1, transitionSteps: 1, decayRate: 2, transitionBegin: 5, limit: 10),
      PolynomialDecay(initial: 1, end: 0, exponent: 2, transitionSteps: 10, transitionBegin: 5),
      LinearSchedule(initial: 1, end: 0, transitionSteps: 1, transitionBegin: 1_000),
      CosineDecay(initial: 1, decaySteps: 1), CosineAnnealingWarmRestarts(initial: 1, period: 1, periodMultiplier: 2),
      CosineAnnealingWarmRestarts(initial: 1, period: 3, periodMultiplier: 3),
      WarmupCosine(peak: 1, warmupSteps: 0, decaySteps: 1), OneCycle(peak: 1, totalSteps: 4, warmupFraction: 0.5),
      OneCycle(peak: 1, totalSteps: 100, warmupFraction: 0.3, threePhase: true),
      Cyclic(base: 0, maximum: 1, stepSizeUp: 1, mode: .triangular2),
      Cyclic(base: 0, maximum: 1, stepSizeUp: 2, mode: .exponentialRange(gamma: 0.5)),
      Interpolated(knots: [(step: Int.min, value: 0), (step: Int.max, value: 1)]),
      Interpolated(knots: [(step: 3, value: 0), (step: 3, value: 1)], interpolation: .cosine),
      Warmup(Constant(value: 1), steps: 0), Warmup(CosineDecay(initial: 1, decaySteps: 5), steps: 3),
      Shifted(Constant(value: 1), by: Int.min), Shifted(LinearSchedule(initial: 1, end: 0, transitionSteps: 5), by: Int.max),
      Followed(Constant(value: 1), Constant(value: 2), at: Int.min), Followed(Constant(value: 1), InverseDecay(initial: 1, decay: 1), at: 7),
      Joined([Constant(value: 1), Constant(value: 2)], boundaries: [Int.min]),
      Looped(LinearSchedule(initial: 1, end: 0, transitionSteps: 4), period: 5),
      Clamped(ExponentialDecay(initial: 1, transitionSteps: 1, decayRate: 3), to: 0...10),
      Product(Constant(value: 0), ExponentialDecay(initial: 1, transitionSteps: 1, decayRate: 10)),
      Scaled(ExponentialDecay(initial: 1, transitionSteps: 1, decayRate: 10), by: 0),
    ]
    for schedule in schedules {
      for step in steps {
        #expect(!schedule(step).isNaN, "\(schedule) at \(step)")
      }
      // Where the extremes are is computed without overflow too.
      for step in schedule.checkedSteps { #expect(!schedule(step).isNaN, "\(schedule) at \(step)") }
    }
  }

  @Test func checkedStepsFindTheExtremes() {
    #expect(LinearSchedule(initial: 0.9, end: 1.5, transitionSteps: 10, transitionBegin: 5).checkedSteps.contains(15))
    #expect(Warmup(CosineDecay(initial: 1, decaySteps: 10), steps: 4).checkedSteps.contains(14))
    #expect(Shifted(Cyclic(base: 0, maximum: 1, stepSizeUp: 3), by: 2).checkedSteps.contains(5))
    // The peak of a one-cycle schedule is at a checked step.
    let cycle = OneCycle(peak: 0.5, totalSteps: 100)
    #expect(cycle.checkedSteps.map { cycle($0) }.max() == (0..<100).map { cycle($0) }.max())
    // Scheduled checks them: a momentum cycle peaking above 1 is rejected up front.
    let momentum = Scheduled(Momentum<Tensor<Double>>(), \.momentum, by: OneCycle(peak: 1.2, totalSteps: 100, initialDivisor: 2))
    #expect(throws: OptimiserError.self) { try momentum.validateHyperparameters() }
  }
}
