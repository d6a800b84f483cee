import Foundation
import Optimisers
import Testing

/// Encodes `schedule` and decodes it back, then compares the values.
func roundTrips<S: Schedule & Equatable>(_ schedule: S) throws -> Bool {
  let decoded = try JSONDecoder().decode(S.self, from: JSONEncoder().encode(schedule))
  return decoded == schedule && (0..<300).allSatisfy { decoded($0).bitPattern == schedule($0).bitPattern }
}

@Suite struct ScheduleCodingTests {
  @Test func everyScheduleRoundTripsThroughJSON() throws {
    let cosine = CosineDecay(initial: 0.1, decaySteps: 100, alpha: 0.1, exponent: 2)
    #expect(try roundTrips(Constant(value: 0.3)))
    #expect(try roundTrips(InverseDecay(initial: 0.1, decay: 0.01)))
    #expect(try roundTrips(StepDecay(initial: 0.1, factor: 0.5, stepSize: 30)))
    #expect(try roundTrips(PiecewiseConstant(initial: 0.1, boundaries: [10, 20], scales: [0.5, 0.1])))
    #expect(try roundTrips(ExponentialDecay(initial: 0.1, transitionSteps: 5, decayRate: 0.9, transitionBegin: 3,
                                            staircase: true, limit: 0.01)))
    #expect(try roundTrips(PolynomialDecay(initial: 0.1, end: 0.01, exponent: 2, transitionSteps: 50)))
    #expect(try roundTrips(LinearSchedule(initial: 0, end: 0.1, transitionSteps: 50, transitionBegin: 5)))
    #expect(try roundTrips(cosine))
    #expect(try roundTrips(CosineAnnealingWarmRestarts(initial: 0.1, period: 10, periodMultiplier: 2)))
    #expect(try roundTrips(Warmup(cosine, steps: 10, initial: 0.01)))
    #expect(try roundTrips(WarmupCosine(peak: 0.1, warmupSteps: 10, decaySteps: 100)))
    #expect(try roundTrips(OneCycle(peak: 0.1, totalSteps: 100, annealing: .linear, threePhase: true)))
    #expect(try roundTrips(Cyclic(base: 0.01, maximum: 0.1, stepSizeUp: 10, mode: .exponentialRange(gamma: 0.99))))
    #expect(try roundTrips(Joined([cosine, cosine], boundaries: [50])))
    #expect(try roundTrips(Followed(cosine, Constant(value: 0.01), at: 100)))
    #expect(try roundTrips(Looped(cosine, period: 40)))
    #expect(try roundTrips(Shifted(cosine, by: 7)))
    #expect(try roundTrips(Clamped(cosine, to: 0.02...0.05)))
    #expect(try roundTrips(cosine * Cyclic(base: 0.5, maximum: 1, stepSizeUp: 5)))
    #expect(try roundTrips(cosine + Constant(value: 1e-4)))
    #expect(try roundTrips(0.5 * cosine))
    #expect(try roundTrips(Interpolated(knots: [(0, 0), (10, 1), (50, 0.1)], interpolation: .cosine)))
    #expect(try roundTrips(ReduceOnPlateau(factor: 0.5).advanced(with: 1).advanced(with: 2)))
    #expect(try roundTrips(SWALR(initial: 0.1, swaRate: 0.05, annealSteps: 3)))
  }

  @Test func aUserScheduleNeedsOneFunction() {
    struct Halving: Schedule {
      var initial: Double
      func callAsFunction(_ step: Int) -> Double { initial / Double(1 << min(step / 100, 60)) }
    }
    let schedule = Warmup(Halving(initial: 0.1), steps: 10) * 2
    #expect(schedule(10) == 0.2 && schedule(110) == 0.1)
  }
}
