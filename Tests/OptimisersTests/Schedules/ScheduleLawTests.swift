import Optimisers
import Testing

/// Random schedules of several kinds from a seeded generator, for the laws.
struct RandomSchedules {
  var generator: SplitMix64

  init(seed: UInt64) { generator = SplitMix64(seed: seed) }

  mutating func unit() -> Double { generator.nextUnitInterval() }
  mutating func integer(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }

  mutating func cosine() -> CosineDecay {
    CosineDecay(initial: 0.01 + unit(), decaySteps: integer(1...300), alpha: 0.2 * unit(), exponent: 0.5 + 2 * unit())
  }

  mutating func warmupCosine() -> WarmupCosine {
    let warmup = integer(0...50)
    return WarmupCosine(initial: 0.1 * unit(), peak: 0.01 + unit(), warmupSteps: warmup,
                        decaySteps: warmup + integer(1...300), end: 0.01 * unit(), exponent: 1 + unit())
  }

  mutating func cyclic() -> Cyclic {
    let modes: [Cyclic.Mode] = [.triangular, .triangular2, .exponentialRange(gamma: 0.95 + 0.05 * unit())]
    return Cyclic(base: 0.01 * unit(), maximum: 0.02 + unit(), stepSizeUp: integer(1...40),
                  stepSizeDown: integer(1...40), mode: modes[integer(0...2)])
  }

  mutating func exponential() -> ExponentialDecay {
    ExponentialDecay(initial: 0.01 + unit(), transitionSteps: integer(1...30), decayRate: 0.5 + 0.49 * unit(),
                     transitionBegin: integer(0...20), staircase: unit() < 0.5)
  }

  mutating func oneCycle() -> OneCycle {
    OneCycle(peak: 0.01 + unit(), totalSteps: integer(10...400), warmupFraction: 0.1 + 0.3 * unit(),
             annealing: unit() < 0.5 ? .cosine : .linear, threePhase: unit() < 0.5)
  }
}

/// Calls `body` with many random schedules of several types.
func forRandomSchedules(seed: UInt64, count: Int = 20, _ body: (any Schedule) -> Void) {
  var random = RandomSchedules(seed: seed)
  for _ in 0..<count {
    body(random.cosine())
    body(random.warmupCosine())
    body(random.cyclic())
    body(random.exponential())
    body(random.oneCycle())
  }
}

let lawSteps = 0..<400

@Suite struct ScheduleLawTests {
  @Test func shiftingByZeroIsTheIdentity() {
    forRandomSchedules(seed: 1) { schedule in
      func check<S: Schedule>(_ s: S) {
        let shifted = Shifted(s, by: 0)
        #expect(lawSteps.allSatisfy { shifted($0).bitPattern == s($0).bitPattern })
      }
      check(schedule)
    }
  }

  @Test func shiftingDelaysAndHoldsTheFirstValue() {
    var random = RandomSchedules(seed: 2)
    for _ in 0..<20 {
      let base = random.warmupCosine()
      let offset = random.integer(-30...30)
      let shifted = base.shifted(by: offset)
      for step in lawSteps {
        #expect(shifted(step) == base(max(step - offset, 0)))
      }
      if offset > 0 { #expect((0...offset).allSatisfy { shifted($0) == base(0) }) }
    }
  }

  @Test func aJoinWithOnePartIsThatPart() {
    forRandomSchedules(seed: 3) { schedule in
      func check<S: Schedule>(_ s: S) {
        let joined = Joined([s], boundaries: [])
        #expect(lawSteps.allSatisfy { joined($0).bitPattern == s($0).bitPattern })
      }
      check(schedule)
    }
  }

  @Test func laterPartsSeeTheStepSinceTheirBoundary() {
    var random = RandomSchedules(seed: 4)
    for _ in 0..<20 {
      let parts = [random.cosine(), random.cosine(), random.cosine()]
      let first = random.integer(1...100)
      let boundaries = [first, first + random.integer(1...100)]
      let joined = Joined(parts, boundaries: boundaries)
      let followed = parts[0].followed(by: parts[1].followed(by: parts[2], at: boundaries[1] - boundaries[0]),
                                       at: boundaries[0])
      for step in lawSteps {
        let expected =
          step < boundaries[0] ? parts[0](step)
          : step < boundaries[1] ? parts[1](step - boundaries[0]) : parts[2](step - boundaries[1])
        #expect(joined(step) == expected)
        #expect(followed(step) == expected)
      }
    }
  }

  @Test func aLoopIsPeriodic() {
    var random = RandomSchedules(seed: 5)
    forRandomSchedules(seed: 6) { schedule in
      let period = random.integer(1...120)
      func check<S: Schedule>(_ s: S) {
        let looped = s.looped(period: period)
        for step in lawSteps {
          #expect(looped(step + period) == looped(step))
          #expect(looped(step) == s(step % period))
        }
        #expect((0..<period).allSatisfy { looped($0) == s($0) })
      }
      check(schedule)
    }
  }

  @Test func clampedStaysInBounds() {
    var random = RandomSchedules(seed: 7)
    forRandomSchedules(seed: 8) { schedule in
      let lower = 0.5 * random.unit()
      let upper = lower + 0.5 * random.unit()
      func check<S: Schedule>(_ s: S) {
        let clamped = s.clamped(to: lower...upper)
        for step in lawSteps {
          #expect(clamped(step) >= lower && clamped(step) <= upper)
          if s(step) >= lower && s(step) <= upper { #expect(clamped(step) == s(step)) }
        }
      }
      check(schedule)
    }
  }

  @Test func warmupOverZeroStepsIsTheBase() {
    forRandomSchedules(seed: 9) { schedule in
      func check<S: Schedule>(_ s: S) {
        let warmed = Warmup(s, steps: 0, initial: 123)
        #expect(lawSteps.allSatisfy { warmed($0).bitPattern == s($0).bitPattern })
      }
      check(schedule)
    }
  }

  @Test func warmupRampsLinearlyToTheBaseAndThenRunsIt() {
    var random = RandomSchedules(seed: 10)
    for _ in 0..<20 {
      let base = random.cosine()
      let steps = random.integer(1...60)
      let initial = 0.1 * random.unit()
      let warmed = base.warmedUp(over: steps, from: initial)
      #expect(abs(warmed(0) - initial) <= 4 * Double.ulpOfOne)  // optax's ramp formula, exact up to rounding
      for step in 0..<steps {
        let expected = initial + (base(0) - initial) * Double(step) / Double(steps)
        #expect(abs(warmed(step) - expected) <= 1e-15 * max(abs(expected), 1))
      }
      for step in steps..<(steps + 300) { #expect(warmed(step) == base(step - steps)) }
    }
  }

  @Test func productsSumsAndScalingArePointwise() {
    var random = RandomSchedules(seed: 11)
    for _ in 0..<20 {
      let a = random.cosine(), b = random.cyclic()
      let c = 3 * random.unit()
      let product = a * b, sum = a + b, left = c * a, right = a * c
      for step in lawSteps {
        #expect(product(step) == a(step) * b(step))
        #expect(sum(step) == a(step) + b(step))
        #expect(left(step) == c * a(step))
        #expect(right(step) == c * a(step))
      }
    }
  }

  @Test func interpolationPassesThroughItsKnotsAndHoldsOutside() {
    var random = RandomSchedules(seed: 12)
    for kind in [Interpolated.Interpolation.linear, .cosine] {
      for _ in 0..<20 {
        var step = random.integer(0...10)
        var knots: [(step: Int, value: Double)] = []
        for _ in 0..<random.integer(1...6) {
          knots.append((step, random.unit()))
          step += random.integer(1...50)
        }
        let schedule = Interpolated(knots: knots, interpolation: kind)
        for (index, knot) in knots.enumerated() {
          // Linear interpolation hits each knot exactly; cosine to rounding.
          let tolerance = kind == .linear ? 0 : 4 * Double.ulpOfOne
          #expect(abs(schedule(knot.step) - knot.value) <= tolerance)
          if index + 1 < knots.count {
            let lower = min(knot.value, knots[index + 1].value), upper = max(knot.value, knots[index + 1].value)
            for t in knot.step..<knots[index + 1].step {
              #expect(schedule(t) >= lower - 1e-15 && schedule(t) <= upper + 1e-15)
            }
          }
        }
        #expect(schedule(knots[0].step - 5) == knots[0].value)
        #expect(schedule(knots[knots.count - 1].step + 1000) == knots[knots.count - 1].value)
      }
    }
  }

  @Test func inverseDecayIsTheSeedsFormula() {
    let schedule = InverseDecay(initial: 0.3, decay: 0.01)
    #expect(schedule(0) == 0.3)
    #expect(schedule(100) == 0.15)
    #expect(Constant(value: 0.25)(1_000_000) == 0.25)
  }

  @Test func sgdrRestartsAtEachPeriodWithTheMultiplier() {
    let schedule = CosineAnnealingWarmRestarts(initial: 1, period: 10, periodMultiplier: 3, minimum: 0.1)
    // Restarts at 0, 10, 40, 130.
    for restart in [0, 10, 40, 130] { #expect(schedule(restart) == 1) }
    #expect(schedule(39) > 0.1 && schedule(39) < schedule(38))
    #expect(abs(schedule(25) - 0.55) < 1e-15)  // halfway through the 30-step period
  }
}

@Suite struct SchedulePreconditionTests {
  @Test func aJoinNeedsOneBoundaryFewerThanParts() async {
    await #expect(processExitsWith: .failure) {
      _ = Joined([Constant(value: 1), Constant(value: 2)], boundaries: [])
    }
  }

  @Test func aLoopNeedsAPositivePeriod() async {
    await #expect(processExitsWith: .failure) {
      _ = Looped(Constant(value: 1), period: 0)
    }
  }
}
