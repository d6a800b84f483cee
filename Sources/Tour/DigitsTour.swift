import CommandLineSupport
import DigitsSupport
import Foundation
import Optimisers

/// The tour's real problem: a small network on the UCI handwritten digits,
/// trained by mini-batches, ranked by the epochs its held-out accuracy takes to
/// reach the target and stay there, then by the final held-out accuracy.
struct DigitsTourProblem {
  let name = "Digits"
  let summary = "UCI handwritten digits (1,437 training images, 360 held out), 64 → 32 → 10 GELU network, batches of 32, cross-entropy"
  let target = 0.95
  let hidden = 32
  let batchSize = 32
  #if DEBUG
  // A debug build is about 30 times slower: three epochs at one rate keep the
  // default `swift run tour` to a couple of minutes; release runs the grid.
  let epochs = 3
  let learningRates = [1e-2]
  #else
  let epochs = 6
  let learningRates = [1e-3, 1e-2, 0.1]
  #endif
  let training: DigitsDataset
  let test: DigitsDataset

  init() throws(DigitsDataError) {
    (training, test) = try DigitsDataset(contentsOfFile: DigitsDataset.bundledPath).split(seed: 1)
  }
}

/// One rule's best run on the digits.
struct DigitsTourResult {
  var run: RunResult
  var history: [EpochRecord]
  var epochsToTarget: Int?
  var accuracy: Double { history.last?.testAccuracy ?? 0 }

  /// Reached the target sooner, then higher final accuracy, then lower loss.
  func isBetter(than other: DigitsTourResult) -> Bool {
    switch (epochsToTarget, other.epochsToTarget) {
    case let (a?, b?) where a != b: return a < b
    case (.some, nil): return true
    case (nil, .some): return false
    default:
      if accuracy != other.accuracy { return accuracy > other.accuracy }
      return run.finalLoss < other.run.finalLoss
    }
  }
}

/// Trains every selected rule at every learning rate of the grid and keeps
/// each rule's best run.
struct DigitsTourRunner: RuleRegistry {
  typealias Params = DigitsNetwork
  let problem: DigitsTourProblem
  let selectedRules: Set<String>?
  var progress: ProgressLine
  var results: [DigitsTourResult] = []

  mutating func add<Rule: Optimiser>(_ name: String, _ make: (Double) -> Rule) where Rule.Params == DigitsNetwork {
    guard selectedRules?.contains(name.lowercased()) ?? true else { return }
    var best: DigitsTourResult?
    for rate in problem.learningRates {
      progress.advance(detail: "\(name), learning rate \(rate)")
      let result = train(make(rate), named: name, learningRate: rate)
      if best.map({ result.isBetter(than: $0) }) ?? true { best = result }
    }
    if let best { results.append(best) }
  }

  func train<Rule: Optimiser>(_ rule: Rule, named name: String, learningRate: Double) -> DigitsTourResult
  where Rule.Params == DigitsNetwork {
    let start = ContinuousClock.now
    var run = DigitsTraining(rule: rule, model: DigitsNetwork(hidden: problem.hidden, seed: 1),
                             batching: MiniBatches(count: problem.training.count, batchSize: problem.batchSize, seed: 2))
    var losses: [Double] = []
    var diverged = false
    while run.epoch < problem.epochs && !diverged {
      run.runEpoch(on: problem.training, testingOn: problem.test) { _, _, loss in losses.append(loss) }
      diverged = !(run.history.last?.trainingLoss.isFinite ?? false)
    }
    let elapsed = ContinuousClock.now - start
    let accuracy = run.history.last?.testAccuracy ?? 0
    let result = RunResult(
      rule: name, learningRate: learningRate, finalLoss: diverged ? .infinity : run.history.last?.trainingLoss ?? .nan,
      stepsToTolerance: nil,
      seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
      losses: losses, trajectory: [], remark: diverged ? "diverged" : "held-out \(String(format: "%.1f", accuracy * 100))%",
      diverged: diverged)
    return DigitsTourResult(run: result, history: run.history,
                            epochsToTarget: diverged ? nil : EpochRecord.epochsToAccuracy(problem.target, in: run.history))
  }
}

/// Trains every selected rule on the digits, prints the ranked table and
/// returns the outcome for the figure (mini-batch losses against updates).
func runDigits(rules: Set<String>?) -> ProblemOutcome? {
  let problem: DigitsTourProblem
  do { problem = try DigitsTourProblem() } catch {
    FileHandle.standardError.write(Data("tour: skipping the digits: \(error)\n".utf8))
    return nil
  }
  var runner = DigitsTourRunner(problem: problem, selectedRules: rules,
                                progress: ProgressLine(label: problem.name, total: (rules?.count ?? RuleNames.all.count) * problem.learningRates.count))
  registerRules(&runner)
  runner.progress.finish()
  let ranked = runner.results.sorted { $0.isBetter(than: $1) }
  print("\(problem.name): \(problem.summary)")
  print("  \(problem.epochs) epochs per run; target \(Int(problem.target * 100))% held-out accuracy; learning rates tried: \(problem.learningRates.map(scientific).joined(separator: ", "))")
  let rows = [["rank", "rule", "rate", "held-out", "epochs to \(Int(problem.target * 100))%", "training loss", "time"]]
    + ranked.enumerated().map { index, result in
      [String(index + 1), result.run.rule, scientific(result.run.learningRate),
       result.run.diverged ? "diverged" : String(format: "%.1f%%", result.accuracy * 100),
       result.epochsToTarget.map(String.init) ?? "—",
       result.run.diverged ? "—" : String(format: "%.4f", result.run.finalLoss),
       String(format: "%.1f s", result.run.seconds)]
    }
  let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
  for (number, row) in rows.enumerated() {
    let cells = row.indices.map { column in
      let padding = String(repeating: " ", count: widths[column] - row[column].count)
      return column == 1 ? row[column] + padding : padding + row[column]
    }
    print("  " + cells.joined(separator: "  "))
    if number == 0 { print("  " + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")) }
  }
  print()
  let batches = MiniBatches(count: problem.training.count, batchSize: problem.batchSize, seed: 2).batchesPerEpoch
  return ProblemOutcome(name: problem.name, summary: problem.summary, steps: problem.epochs * batches,
                        tolerance: .nan, results: ranked.map(\.run))
}
