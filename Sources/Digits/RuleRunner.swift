#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DigitsSupport
import Optimisers

/// What one rule's run reports at the end.
struct RuleSummary {
  var label: String
  var file: String
  var history: [EpochRecord]
  var seconds: Double
}

/// A rule, type-erased so the main loop can hold different rule types.
protocol DigitsRuleRunner {
  func run() -> RuleSummary
}

/// Trains the network with one rule for `options.epochs` epochs, resuming and
/// saving its run file in the checkpoint directory.
struct RuleRunner<Rule: Optimiser>: DigitsRuleRunner where Rule.Params == DigitsNetwork {
  let label: String
  let file: String
  let rule: Rule

  var path: String { "\(options.checkpoints)/\(file).run" }

  func run() -> RuleSummary {
    var run = DigitsTraining(
      rule: rule, model: DigitsNetwork(hidden: options.hidden, dropout: options.dropout, seed: options.seed),
      batching: batching)
    print("\n\(label)")
    if options.resume {
      do {
        try run.resume(from: try CheckpointFile.contents(ofFile: path))
        print("  resumed from \(path) after epoch \(run.epoch)")
        for (epoch, record) in run.history.enumerated() { printRecord(epoch, record, seconds: nil) }
      } catch CheckpointError.io(operation: "opening", path: _, errno: ENOENT) {
        print("  no saved run at \(path); starting afresh")
      } catch {
        printError("digits: cannot resume from \(path): \(error)\n")
        exit(1)
      }
    }
    let clock = ContinuousClock()
    let start = clock.now
    let last = min(options.epochs, options.stopAfter ?? options.epochs)
    while run.epoch < last {
      let epochStart = clock.now
      let epoch = run.epoch
      let record = run.runEpoch(on: training, testingOn: test) { done, total, _ in
        guard showsProgress else { return }
        let filled = 24 * done / total
        printError("\r\u{1B}[2K  epoch \(epoch + 1) " + String(repeating: "█", count: filled)
                   + String(repeating: "·", count: 24 - filled) + " \(done)/\(total)")
      }
      if showsProgress { printError("\r\u{1B}[2K") }
      printRecord(epoch, record, seconds: seconds(clock.now - epochStart))
      do {
        try CheckpointFile.writeAtomically(try run.savedBytes(), to: path)
      } catch {
        printError("digits: cannot save the run to \(path): \(error)\n")
        exit(1)
      }
    }
    return RuleSummary(label: label, file: file, history: run.history, seconds: seconds(clock.now - start))
  }
}

func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

func printRecord(_ epoch: Int, _ record: EpochRecord, seconds: Double?) {
  let time = seconds.map { "  (\(decimal($0, digits: 2)) s)" } ?? "  (saved)"
  print("  epoch \(pad(String(epoch + 1), 3))  training loss \(decimal(record.trainingLoss, digits: 4))"
        + "  held-out accuracy \(decimal(record.testAccuracy * 100, digits: 1))%\(time)")
}

func pad(_ text: String, _ width: Int) -> String {
  String(repeating: " ", count: max(0, width - text.count)) + text
}

/// The final table: each rule's last loss and accuracy, its best accuracy and
/// the first epoch from which the held-out accuracy stayed at or above 95 %.
func printSummary(_ summaries: [RuleSummary]) {
  print("\nrule                                 loss   held-out   best   epochs to 95%   time")
  for summary in summaries {
    guard let last = summary.history.last else { continue }
    let best = summary.history.map(\.testAccuracy).max() ?? 0
    let reached = EpochRecord.epochsToAccuracy(0.95, in: summary.history).map(String.init) ?? "—"
    let name = summary.label + String(repeating: " ", count: max(0, 34 - summary.label.count))
    print("\(name) \(pad(decimal(last.trainingLoss, digits: 4), 7))  \(pad(decimal(last.testAccuracy * 100, digits: 1), 8))%"
          + "  \(pad(decimal(best * 100, digits: 1), 5))%  \(pad(reached, 14))  \(pad(decimal(summary.seconds, digits: 1), 5)) s")
  }
}
