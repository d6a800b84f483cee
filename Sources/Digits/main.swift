// Trains a small network on a real data set, the UCI handwritten digits, with
// several rules; see `swift run digits --help`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DigitsSupport
import Optimisers

let options = parseOptions(CommandLine.arguments)
let data: DigitsDataset
do {
  data = try DigitsDataset(contentsOfFile: options.data)
} catch {
  printError("digits: \(options.data): \(error)\n")
  exit(1)
}
let (training, test) = data.split(seed: options.seed)
let batching = MiniBatches(count: training.count, batchSize: options.batchSize, seed: options.seed &+ 1)
let parallelism = options.threads.map {
  Parallelism(maximumThreads: $0, minimumParallelScalars: 0, blockScalars: 1_024)
} ?? Parallelism.current
let showsProgress = isatty(1) != 0 && isatty(2) != 0

/// The hyperparameters of each rule; AdamW warms up for one epoch and decays
/// by a cosine to zero at the end of the run.
func withRule(_ name: String, _ body: (any DigitsRuleRunner) -> Void) {
  let steps = options.epochs * batching.batchesPerEpoch
  switch name {
  case "momentum": body(RuleRunner(label: "SGD + momentum 0.9, η 0.05", file: name,
                                    rule: Momentum<DigitsNetwork>(learningRate: 0.05, momentum: 0.9)))
  case "adam": body(RuleRunner(label: "Adam, η 0.003", file: name, rule: Adam<DigitsNetwork>(learningRate: 3e-3)))
  case "adamw":
    let schedule = WarmupCosine(peak: 3e-3, warmupSteps: min(batching.batchesPerEpoch, steps - 1), decaySteps: steps)
    body(RuleRunner(label: "AdamW, warm-up cosine to η 0.003", file: name,
                    rule: Scheduled(AdamW<DigitsNetwork>(learningRate: 3e-3, weightDecay: 1e-2), \.learningRate, by: schedule)))
  case "lion": body(RuleRunner(label: "Lion, η 0.001", file: name, rule: Lion<DigitsNetwork>(learningRate: 1e-3)))
  default: preconditionFailure("unknown rule \(name)")
  }
}

if options.benchmark {
  runBenchmark(options: options, training: training, parallelism: parallelism)
  exit(0)
}

#if DEBUG
printError("digits: a debug build; `swift run -c release digits` runs it about 15 times faster\n")
#endif
print("UCI handwritten digits: \(training.count) training images, \(test.count) held out; "
      + "64 → \(options.hidden) → 10 GELU network, batches of \(options.batchSize), seed \(options.seed)")
if mkdir(options.checkpoints, 0o755) != 0 && errno != EEXIST {
  printError("digits: cannot create the checkpoint directory \(options.checkpoints) (errno \(errno))\n")
  exit(1)
}
var summaries: [RuleSummary] = []
Parallelism.$current.withValue(parallelism) {
  for name in options.rules {
    withRule(name) { runner in summaries.append(runner.run()) }
  }
}
printSummary(summaries)

if options.plot {
  let figure = LearningCurvesFigure(
    title: "UCI digits, 64 → \(options.hidden) → 10 GELU network: swift run digits",
    curves: summaries.map { LearningCurvesFigure.Curve(name: $0.label, history: $0.history) })
  do {
    try CheckpointFile.writeAtomically(Array(figure.svg.utf8), to: options.output)
    print("wrote \(options.output)")
  } catch {
    printError("digits: cannot write \(options.output): \(error)\n")
    exit(1)
  }
}
if let adam = summaries.first(where: { $0.file == "adam" }), adam.history.count >= 10,
   options.hidden == 64, options.batchSize == 32, options.dropout == 0,
   let last = adam.history.last, last.testAccuracy < 0.95 {
  printError("digits: Adam's held-out accuracy \(last.testAccuracy) is below the 95% this example promises\n")
  exit(1)
}
