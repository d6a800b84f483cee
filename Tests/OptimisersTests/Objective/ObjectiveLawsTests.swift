import Optimisers
import OptimiserLaws
import Testing

/// The objective-optimiser laws (`ObjectiveLaws`) on ``LBFGS`` and
/// ``SharpnessAware``, and on a broken optimiser they must catch.
@Suite("Objective optimisers: purity, pure = in place, resume through a Checkpoint")
struct ObjectiveLawsTests {
  /// Σᵢ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)² over any number of scalars (the laws'
  /// shrinker also tries smaller tensors), scaled down so that generated
  /// starting points stay finite under every configuration.
  static func chainedRosenbrock(_ p: Tensor<Double>) -> (value: Double, gradient: Tensor<Double>) {
    let x = p.scalars, n = x.count
    var value = 0.0
    var gradient = [Double](repeating: 0, count: n)
    for i in 0..<n {
      let a = 1 - x[i]
      value += a * a
      gradient[i] -= 2 * a
      if i + 1 < n {
        let r = x[i + 1] - x[i] * x[i]
        value += 100 * r * r
        gradient[i] -= 400 * x[i] * r
        gradient[i + 1] += 200 * r
      }
    }
    return (value * 1e-2, Tensor(gradient.map { $0 * 1e-2 }))
  }

  static let lbfgsConfigurations: [LBFGS<Tensor<Double>>] = [
    LBFGS(historySize: 3, maximumIterations: 2, lineSearch: .strongWolfe()),
    LBFGS(learningRate: 0.05, historySize: 3, maximumIterations: 2),
    LBFGS.optax(historySize: 3),
    LBFGS.optax(historySize: 3, lineSearch: .backtracking()),
  ]

  @Test("L-BFGS obeys the laws", arguments: lbfgsConfigurations)
  func lbfgsLaws(_ lbfgs: LBFGS<Tensor<Double>>) {
    let report = ObjectiveLaws.check(
      lbfgs, parameters: .tensor(shape: [2]), objective: ObjectiveLawsTests.chainedRosenbrock,
      configuration: PropertyConfiguration(trials: 8))
    #expect(report.passed, "\(report)")
  }

  @Test("SAM over Adam obeys the laws")
  func samLaws() {
    let sam = SharpnessAware(Adam<Tensor<Double>>(learningRate: 0.05), radius: 0.1)
    let report = ObjectiveLaws.check(
      sam, parameters: .tensor(shape: [2]), objective: ObjectiveLawsTests.chainedRosenbrock,
      configuration: PropertyConfiguration(trials: 8))
    #expect(report.passed, "\(report)")
  }

  @Test("an optimiser whose state is a shared reference breaks purity, and the laws say so")
  func catchesSharedState() {
    let report = ObjectiveLaws.check(
      SharedCounterDescent(), parameters: .tensor(shape: [2]), objective: ObjectiveLawsTests.chainedRosenbrock,
      steps: 1...3, configuration: PropertyConfiguration(trials: 4))
    #expect(!report.passed)
    #expect(report.message?.contains("purity") == true, "\(report)")
  }

  @Test("L-BFGS state restored from a Checkpoint is refused for another history size or shape")
  func checkpointChecks() throws {
    let lbfgs = LBFGS<Tensor<Double>>(historySize: 3, lineSearch: .strongWolfe())
    var x = Tensor([-1.2, 1.0])
    var state = lbfgs.initialState(for: x)
    try lbfgs.step(&state, &x, objective: ObjectiveProblems.rosenbrock)
    let checkpoint = try Checkpoint(decoding: lbfgs.checkpoint(state, for: x).encoded())
    #expect(try lbfgs.restore(from: checkpoint, for: x) == state)
    var other = lbfgs
    other.historySize = 5
    #expect(throws: CheckpointError.self) { try other.restore(from: checkpoint, for: x) }
    #expect(throws: CheckpointError.self) { try lbfgs.restore(from: checkpoint, for: Tensor([1.0, 2.0, 3.0])) }
  }
}

/// Gradient descent whose state is a class instance: the pure step mutates
/// the caller's state through the shared reference.
struct SharedCounterDescent: ObjectiveOptimiser {
  final class Counter: Codable, @unchecked Sendable {
    var steps = 0
  }
  typealias Params = Tensor<Double>
  typealias State = Counter

  func initialState(for params: Tensor<Double>) -> Counter { Counter() }

  func step(
    _ state: inout Counter, _ params: inout Tensor<Double>,
    objective: (Tensor<Double>) -> (value: Double, gradient: Tensor<Double>)
  ) throws(ObjectiveError) -> ObjectiveStepReport {
    let (value, gradient) = objective(params)
    state.steps += 1
    let rate = 1e-3 / Double(state.steps)
    params = Tensor(zip(params.scalars, gradient.scalars).map { $0 - rate * $1 })
    return ObjectiveStepReport(iterations: 1, evaluations: 1, initialValue: value, finalValue: nil, stopReason: .iterationLimit)
  }

  func validate(_ state: Counter, for params: Tensor<Double>) throws(OptimiserError) {}
  func validateHyperparameters() throws(OptimiserError) {}
}

@Suite("ScheduledObjective: schedules on SAM's radius and L-BFGS's learning rate")
struct ScheduledObjectiveTests {
  @Test("step k runs the base with schedule(k), and the scheduled run obeys the laws")
  func followsSchedule() throws {
    let schedule = LinearSchedule(initial: 0.01, end: 0.2, transitionSteps: 5)
    let base = SharpnessAware(SGD<Tensor<Double>>(learningRate: 5e-4), radius: 0.05)
    let scheduled = ScheduledObjective(base, \.radius, by: schedule)
    var (x, y) = (Tensor([-1.2, 1.0]), Tensor([-1.2, 1.0]))
    var state = scheduled.initialState(for: x)
    var manual = base.initialState(for: y)
    for k in 0..<7 {
      try scheduled.step(&state, &x, objective: ObjectiveProblems.rosenbrock)
      var adjusted = base
      adjusted.radius = schedule(k)
      try adjusted.step(&manual, &y, objective: ObjectiveProblems.rosenbrock)
    }
    #expect(x.bitPatternsEqual(y) && state.step == 7)
    let lbfgs = ScheduledObjective(
      LBFGS<Tensor<Double>>(historySize: 3, maximumIterations: 2), \.learningRate,
      by: LinearSchedule(initial: 0.001, end: 0.05, transitionSteps: 4))
    let report = ObjectiveLaws.check(
      lbfgs, parameters: .tensor(shape: [2]), objective: ObjectiveLawsTests.chainedRosenbrock,
      configuration: PropertyConfiguration(trials: 6))
    #expect(report.passed, "\(report)")
  }

  @Test("a schedule leaving the range is refused, naming the step")
  func refusesOutOfRange() {
    var scheduled = ScheduledObjective(SharpnessAware(SGD<Tensor<Double>>(learningRate: 0.01)), \.radius, by: Constant(value: 0.1))
    #expect((try? scheduled.checkedBase(at: 3))?.radius == 0.1)
    scheduled.schedule = Constant(value: -0.1)
    #expect(throws: OptimiserError.self) { try scheduled.validateHyperparameters() }
    do {
      _ = try scheduled.checkedBase(at: 3)
      Issue.record("a negative radius was accepted")
    } catch {
      #expect("\(error)".contains("at step 3"), "\(error)")
    }
  }
}
