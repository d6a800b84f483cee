import Foundation
import Optimisers
import Testing

/// One case of `Tests/Fixtures/schedule-references.json`: a torch or optax
/// trace, the schedule as AnySchedule JSON, and (for CyclicLR and OneCycleLR)
/// the momentum trace.
struct ScheduleReferenceCase: Decodable, CustomTestStringConvertible, Sendable {
  struct Momentum: Decodable, Sendable {
    let parameter: String
    let swift: AnySchedule
    let values: [Double]
  }

  let name: String
  let library: String
  let reference: String
  let swift: AnySchedule
  let values: [Double]
  let momentum: Momentum?

  var testDescription: String { "\(library) \(name)" }
}

struct ScheduleReferenceFile: Decodable {
  let cases: [ScheduleReferenceCase]
}

let scheduleReferences: [ScheduleReferenceCase] = {
  do {
    return try Fixtures.load(ScheduleReferenceFile.self, from: "schedule-references.json").cases
  } catch {
    fatalError("cannot read schedule-references.json: \(error)")
  }
}()

/// The direct spelling of each reference case: (rate, momentum).
let directSpellings: [String: (AnySchedule, AnySchedule?)] = {
  func one(_ schedule: some Schedule) -> (AnySchedule, AnySchedule?) { (AnySchedule(schedule), nil) }
  let cyclic2 = Cyclic(base: 0.001, maximum: 0.1, stepSizeUp: 20, stepSizeDown: 30, mode: .triangular2)
  let cyclicExp = Cyclic(base: 0.001, maximum: 0.1, stepSizeUp: 20, stepSizeDown: 30,
                         mode: .exponentialRange(gamma: 0.995))
  let cyclicAdam = Cyclic(base: 0.001, maximum: 0.01, stepSizeUp: 25)
  let oneCycle = OneCycle(peak: 0.1, totalSteps: 301, warmupFraction: 0.3)
  let oneCycleAdam = OneCycle(peak: 0.01, totalSteps: 320, warmupFraction: 0.25, annealing: .linear, threePhase: true)
  return [
    "CosineAnnealingLR past T_max": one(CosineAnnealing(initial: 0.1, maximumSteps: 40, minimum: 0.001)),
    "CosineAnnealingLR many periods": one(CosineAnnealing(initial: 0.1, maximumSteps: 7)),
    "LinearLR factor": one(.linearLR(baseRate: 0.1, startFactor: 0.25, endFactor: 0.9, totalIters: 30)),
    "ConstantLR": one(.constantLR(baseRate: 0.1, factor: 0.3, totalIters: 20)),
    "PolynomialLR": one(.polynomialLR(baseRate: 0.1, totalIters: 50, power: 1.5)),
    "ChainedScheduler ConstantLR ExponentialLR":
      one(PiecewiseConstant.constantLR(baseRate: 0.1, factor: 0.5, totalIters: 20)
          * ExponentialDecay(initial: 1, transitionSteps: 1, decayRate: 0.99)),
    "ChainedScheduler LinearLR PolynomialLR":
      one(Chained([AnySchedule(.linearLR(baseRate: 0.1, startFactor: 0.1, totalIters: 10)),
                   AnySchedule(.polynomialLR(totalIters: 100, power: 2))])),
    "SequentialLR warm-up, constant, cosine":
      one(Joined([AnySchedule(.linearLR(baseRate: 0.1, startFactor: 0.01, totalIters: 20)),
                  AnySchedule(Constant(value: 0.1)),
                  AnySchedule(CosineAnnealing(initial: 0.1, maximumSteps: 150, minimum: 1e-4))],
                 boundaries: [20, 50])),
    "CyclicLR triangular2 with momentum":
      (AnySchedule(cyclic2), AnySchedule(cyclic2.cycledMomentum(base: 0.8, maximum: 0.9))),
    "CyclicLR exp_range with momentum":
      (AnySchedule(cyclicExp), AnySchedule(cyclicExp.cycledMomentum(base: 0.8, maximum: 0.9))),
    "CyclicLR Adam beta1": (AnySchedule(cyclicAdam), AnySchedule(cyclicAdam.cycledMomentum(base: 0.85, maximum: 0.95))),
    "OneCycleLR cos with momentum": (AnySchedule(oneCycle), AnySchedule(oneCycle.cycledMomentum())),
    "OneCycleLR Adam three_phase linear":
      (AnySchedule(oneCycleAdam), AnySchedule(oneCycleAdam.cycledMomentum(base: 0.8, maximum: 0.92))),
    "cosine_onecycle_schedule":
      one(.cosineOneCycle(transitionSteps: 250, peakValue: 0.1, pctStart: 0.25, divFactor: 20, finalDivFactor: 1e3)),
    "linear_onecycle_schedule": one(.linearOneCycle(transitionSteps: 250, peakValue: 0.05, pctStart: 0.3, pctFinal: 0.85)),
    "join_schedules warm-up, constant, cosine":
      one(Joined([AnySchedule(LinearSchedule(initial: 0, end: 0.1, transitionSteps: 20)),
                  AnySchedule(Constant(value: 0.1)),
                  AnySchedule(CosineDecay(initial: 0.1, decaySteps: 150, alpha: 0.001))],
                 boundaries: [20, 50])),
  ]
}()

/// The largest relative difference between `schedule` and `trace` and its step.
func worstDifference(_ schedule: some Schedule, _ trace: [Double]) -> (difference: Double, step: Int) {
  var worst = (difference: 0.0, step: 0)
  for (step, value) in trace.enumerated() {
    let difference = relativeDifference(schedule(step), value)
    if !(difference <= worst.difference) { worst = (difference, step) }
  }
  return worst
}

@Suite struct ScheduleReferenceTests {
  /// The closed form drifts from torch's recursion by ~4e-16 per step; the
  /// 3000-step case allows for it, every other case is held to 1e-12.
  static func tolerance(_ fixture: ScheduleReferenceCase) -> Double {
    fixture.values.count > 1000 ? 3e-12 : 1e-12
  }

  @Test func fixtureCoversEveryReference() {
    for name in [
      "CosineAnnealingLR", "LinearLR", "ConstantLR", "PolynomialLR", "ChainedScheduler", "SequentialLR",
      "CyclicLR", "OneCycleLR", "three_phase=True", "'exp_range'", "cosine_onecycle_schedule",
      "linear_onecycle_schedule", "join_schedules",
    ] {
      #expect(scheduleReferences.contains { $0.reference.contains(name) }, "no fixture case calls \(name)")
    }
    #expect(Set(scheduleReferences.map(\.name)) == Set(directSpellings.keys))
    // Past T_max: the trace rises again, which a decay that holds its floor cannot follow.
    let periodic = scheduleReferences.first { $0.name == "CosineAnnealingLR past T_max" }!
    #expect(periodic.values[80] > periodic.values[60] && periodic.values[60] > periodic.values[40])
  }

  /// The schedule decoded from the fixture's AnySchedule JSON follows the trace.
  @Test(arguments: scheduleReferences)
  func decodedScheduleFollowsTrace(_ fixture: ScheduleReferenceCase) {
    let worst = worstDifference(fixture.swift, fixture.values)
    #expect(worst.difference <= Self.tolerance(fixture),
            "\(fixture.reference): \(worst.difference) at step \(worst.step)")
    if let momentum = fixture.momentum {
      let worstMomentum = worstDifference(momentum.swift, momentum.values)
      #expect(worstMomentum.difference <= 1e-12,
              "\(fixture.reference) momentum: \(worstMomentum.difference) at step \(worstMomentum.step)")
    }
  }

  /// The direct spelling follows the same trace, and so does its momentum.
  @Test(arguments: scheduleReferences)
  func directSpellingFollowsTrace(_ fixture: ScheduleReferenceCase) throws {
    let (rate, momentum) = try #require(directSpellings[fixture.name])
    let worst = worstDifference(rate, fixture.values)
    #expect(worst.difference <= Self.tolerance(fixture),
            "\(fixture.reference): \(worst.difference) at step \(worst.step)")
    #expect((momentum == nil) == (fixture.momentum == nil))
    if let momentum, let trace = fixture.momentum?.values {
      let worstMomentum = worstDifference(momentum, trace)
      #expect(worstMomentum.difference <= 1e-12,
              "\(fixture.reference) momentum: \(worstMomentum.difference) at step \(worstMomentum.step)")
    }
  }

  /// One `Scheduled` drives the rate and the momentum (SGD's `momentum`, Adam's
  /// `beta1`) in step, as torch's `cycle_momentum` does.
  @Test(arguments: scheduleReferences.filter { $0.momentum != nil })
  func oneScheduledCyclesRateAndMomentum(_ fixture: ScheduleReferenceCase) throws {
    let (rate, momentum) = try #require(directSpellings[fixture.name])
    let cycled = try #require(momentum)
    let trace = try #require(fixture.momentum)
    if trace.parameter == "momentum" {
      let optimiser = Scheduled(Momentum<Tensor<Double>>(), [(\.learningRate, rate), (\.momentum, cycled)])
      for step in stride(from: 0, to: fixture.values.count, by: 7) {
        let rule = try optimiser.checkedBase(at: step)
        #expect(relativeDifference(rule.learningRate, fixture.values[step]) <= 1e-12)
        #expect(relativeDifference(rule.momentum, trace.values[step]) <= 1e-12)
      }
    } else {
      #expect(trace.parameter == "beta1")
      let optimiser = Scheduled(Adam<Tensor<Double>>(), [(\.learningRate, rate), (\.beta1, cycled)])
      for step in stride(from: 0, to: fixture.values.count, by: 7) {
        let rule = try optimiser.checkedBase(at: step)
        #expect(relativeDifference(rule.learningRate, fixture.values[step]) <= 1e-12)
        #expect(relativeDifference(rule.beta1, trace.values[step]) <= 1e-12)
      }
    }
  }
}
