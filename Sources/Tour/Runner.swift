import CommandLineSupport
import Optimisers

/// What one rule achieved on one problem, at its best learning rate.
struct RunResult {
  var rule: String
  var learningRate: Double
  /// The loss after the last update (+∞ if the run diverged).
  var finalLoss: Double
  /// The number of updates after which the loss reached the tolerance and stayed
  /// within it until the end of the run.
  var stepsToTolerance: Int?
  /// Wall-clock time of the run at this learning rate.
  var seconds: Double
  /// The loss before each update and after the last one.
  var losses: [Double]
  /// The iterates, for two-dimensional problems.
  var trajectory: [(x: Double, y: Double)]
  var remark: String?
  var diverged: Bool

  /// Orders runs: converged before not, then fewer steps, then lower loss.
  func isBetter(than other: RunResult) -> Bool {
    switch (stepsToTolerance, other.stepsToTolerance) {
    case let (a?, b?): return a != b ? a < b : finalLoss < other.finalLoss
    case (.some, nil): return true
    case (nil, .some): return false
    case (nil, nil): return finalLoss < other.finalLoss || (other.finalLoss.isNaN && !finalLoss.isNaN)
    }
  }
}

/// Trains one rule on one problem from the problem's starting point.
func train<Problem: TourProblem, Rule: Optimiser>(
  _ problem: Problem, _ rule: Rule, named name: String, learningRate: Double
) -> RunResult where Rule.Params == Problem.Params {
  let clock = ContinuousClock()
  let start = clock.now
  var params = problem.initial
  var state = rule.initialState(for: params)
  var losses: [Double] = []
  losses.reserveCapacity(problem.steps + 1)
  var trajectory: [(x: Double, y: Double)] = []
  if let point = problem.position(of: params) { trajectory.append(point) }
  var stepsToTolerance: Int?
  var diverged = false
  let initialLoss = problem.lossAndGradient(at: params).loss
  for step in 0...problem.steps {
    let (loss, gradient) = problem.lossAndGradient(at: params)
    losses.append(loss)
    // The step from which the loss stays within tolerance to the end of the run.
    if loss > problem.tolerance { stepsToTolerance = nil } else if stepsToTolerance == nil { stepsToTolerance = step }
    if !loss.isFinite || loss > 1e6 * Swift.max(initialLoss, 1) {
      diverged = true
      break
    }
    if step == problem.steps { break }
    // The documented training-loop idiom: the pure update, handing over the
    // state and parameters so their buffers are updated in place.
    (state, params) = rule.update(consume state, consume params, gradient)
    if let point = problem.position(of: params) { trajectory.append(point) }
  }
  let elapsed = clock.now - start
  let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  return RunResult(
    rule: name, learningRate: learningRate,
    finalLoss: diverged ? .infinity : losses.last ?? .nan,
    stepsToTolerance: diverged ? nil : stepsToTolerance, seconds: seconds,
    losses: losses, trajectory: trajectory,
    remark: diverged ? "diverged" : problem.remark(on: params), diverged: diverged)
}

/// Trains every selected rule at every learning rate of the problem's grid and
/// keeps each rule's best run.
struct ProblemRunner<Problem: TourProblem>: RuleRegistry {
  typealias Params = Problem.Params
  let problem: Problem
  let selectedRules: Set<String>?
  var progress: ProgressLine
  var results: [RunResult] = []

  init(problem: Problem, selectedRules: Set<String>?, totalRules: Int) {
    self.problem = problem
    self.selectedRules = selectedRules
    self.progress = ProgressLine(label: problem.name, total: totalRules * problem.learningRates.count)
  }

  mutating func add<Rule: Optimiser>(_ name: String, _ make: (Double) -> Rule) where Rule.Params == Params {
    guard selectedRules?.contains(name.lowercased()) ?? true else { return }
    var best: RunResult?
    for rate in problem.learningRates {
      progress.advance(detail: "\(name), learning rate \(rate)")
      let result = train(problem, make(rate), named: name, learningRate: rate)
      if best.map({ result.isBetter(than: $0) }) ?? true { best = result }
    }
    if let best { results.append(best) }
  }
}
