import OptimiserLaws
import OptimiserLawsTesting
import Optimisers
import Testing

/// A user's "periodic" schedule whose period is off by one after step 300.
struct SlippingLoop: Schedule {
  func callAsFunction(_ step: Int) -> Double { Double((step < 300 ? step : step + 1) % 50) / 50 }
}

/// `ScheduleLaws` on the package's schedules, on random schedule trees built
/// from every combinator, and on broken schedules (the failures shrink to the
/// first step that shows them).
@Suite struct ScheduleLawKitTests {
  @Test func packageSchedulesKeepTheirDeclaredLaws() {
    ScheduleLaws.check(CosineDecay(initial: 0.1, decaySteps: 1000), bounds: 0...0.1, monotonicity: .nonIncreasing).expectPassed()
    ScheduleLaws.check(
      LinearSchedule(initial: 0, end: 1, transitionSteps: 500), bounds: 0...1, monotonicity: .nonDecreasing
    ).expectPassed()
    ScheduleLaws.check(
      ExponentialDecay(initial: 1, transitionSteps: 100, decayRate: 0.5), bounds: 0...1, monotonicity: .nonIncreasing
    ).expectPassed()
    ScheduleLaws.check(InverseDecay(initial: 0.5, decay: 0.01), bounds: 0...0.5, monotonicity: .nonIncreasing).expectPassed()
    ScheduleLaws.check(StepDecay(initial: 1, factor: 0.5, stepSize: 30), bounds: 0...1, monotonicity: .nonIncreasing).expectPassed()
    ScheduleLaws.check(Warmup(Constant(value: 0.3), steps: 200), bounds: 0...0.3, monotonicity: .nonDecreasing).expectPassed()
    ScheduleLaws.check(PiecewiseConstant(initial: 1, boundaries: [10, 400], scales: [0.5, 0.1]), bounds: 0...1).expectPassed()
  }

  @Test func combinatorsKeepTheirLaws() {
    // A continuous join: a linear ramp to 1, then a constant 1.
    let ramp = LinearSchedule(initial: 0, end: 1, transitionSteps: 100)
    ScheduleLaws.followed(ramp.followed(by: Constant(value: 1), at: 100), maximumJump: 0.01 + 1e-12).expectPassed()
    ScheduleLaws.joined(
      Joined([CosineDecay(initial: 1, decaySteps: 50), CosineDecay(initial: 1, decaySteps: 70)], boundaries: [50]),
      maximumJump: 1
    ).expectPassed()
    ScheduleLaws.looped(CosineDecay(initial: 1, decaySteps: 30).looped(period: 37)).expectPassed()
    ScheduleLaws.shifted(ExponentialDecay(initial: 1, transitionSteps: 10, decayRate: 0.9).shifted(by: 123)).expectPassed()
  }

  /// Random trees of every schedule and combinator: deterministic, Codable,
  /// finite; and each generated `Followed`, `Looped` and `Shifted` keeps its law.
  @Test func generatedSchedulesKeepTheUniversalLaws() {
    let small = PropertyConfiguration(trials: 30)
    Property.forAll(.schedule(depth: 3), name: "generated schedules", configuration: .init(trials: 60)) { schedule in
      let report = ScheduleLaws.check(schedule, configuration: small)
      try Property.require(report.passed, "\(report)")
      switch schedule {
      case .followed(let a, let b, let at):
        try Property.require(ScheduleLaws.followed(Followed(a, b, at: at), configuration: small).passed, "Followed")
      case .looped(let base, let period):
        try Property.require(ScheduleLaws.looped(Looped(base, period: period), configuration: small).passed, "Looped")
      case .shifted(let base, let offset):
        try Property.require(ScheduleLaws.shifted(Shifted(base, by: offset), configuration: small).passed, "Shifted")
      default:
        break
      }
    }.expectPassed()
  }

  @Test func aBrokenScheduleShrinksToTheFirstBadStep() throws {
    let report = ScheduleLaws.check(DriftingSchedule(), bounds: 0...1)
    #expect(report.failed == ["bounds"])
    let bounds = try #require(report.laws.first { $0.name == "bounds" }?.report)
    #expect(bounds.counterexample == 700, "\(bounds)")
    // The printed seed reproduces it.
    let again = ScheduleLaws.check(
      DriftingSchedule(), bounds: 0...1, configuration: .init(seed: try #require(bounds.failingSeed), trials: 1))
    #expect(again.laws.first { $0.name == "bounds" }?.report.counterexample == 700)
  }

  @Test func aSlippingLoopIsCaught() throws {
    let report = Property.forAll(.step(in: 0...600), name: "period 50") { t in
      let s = SlippingLoop()
      try Property.require(s(t + 50) == s(t), "s(\(t + 50)) = \(s(t + 50)), s(\(t)) = \(s(t))")
    }
    #expect(report.counterexample == 250, "\(report)")
  }
}
