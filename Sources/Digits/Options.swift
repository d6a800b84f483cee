#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DigitsSupport

/// The rules `swift run digits` can train, in the order they run.
let ruleNames = ["momentum", "adam", "adamw", "lion"]

let usage = """
  Usage: swift run digits [options]

  Trains a 64 → 64 → 10 GELU network on the UCI handwritten digits (8 × 8
  images; 1,437 for training, 360 held out) with seeded mini-batches, by SGD
  with momentum, Adam, AdamW with a warm-up cosine schedule and Lion. Prints
  each epoch's training loss and held-out accuracy, saves every rule's run after
  each epoch (optimiser checkpoint, parameters, history) and writes an SVG of
  the learning curves. Runs are bit-for-bit reproducible from --seed on any
  number of threads, and --resume continues exactly where a run stopped.

  Options:
    --epochs N          epochs per rule (default 10)
    --batch-size N      images per mini-batch (default 32)
    --hidden N          hidden units (default 64)
    --dropout P         dropout probability on the hidden layer, in [0, 1) (default 0)
    --seed N            seed of the initialisation, the split, the batch order and
                        the dropout masks (default 1)
    --rules LIST        comma-separated subset of: \(ruleNames.joined(separator: ", "))
    --threads N         threads for the optimiser steps, each step split into
                        small blocks (default: the library's setting); the
                        results do not depend on N
    --checkpoints DIR   where each rule's run is saved after every epoch
                        (default: digits-checkpoints)
    --resume            continue each rule from its run in DIR
    --stop-after N      stop each rule after N epochs in total (to interrupt a run)
    -o, --output PATH   where to write the SVG (default: digits.svg)
    --no-plot           do not write the SVG
    --data PATH         the digits CSV (default: this package's Data/digits.csv)
    --benchmark         time the training step's parts instead of training
                        (build with -c release); see --steps
    --steps N           training steps per benchmark repetition (default 2000)
    -h, --help          show this help

  """

struct Options {
  var epochs = 10
  var batchSize = 32
  var hidden = 64
  var dropout = 0.0
  var seed: UInt64 = 1
  var rules = ruleNames
  var threads: Int?
  var checkpoints = "digits-checkpoints"
  var resume = false
  var stopAfter: Int?
  var output = "digits.svg"
  var plot = true
  var data = DigitsDataset.bundledPath
  var benchmark = false
  var benchmarkSteps = 2000
}

/// Writes `text` to standard error.
func printError(_ text: String) {
  var bytes = Array(text.utf8)
  _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}

/// Parses the command line; prints the usage and exits on `--help` or an error.
func parseOptions(_ arguments: [String]) -> Options {
  var options = Options()
  var remaining = arguments.dropFirst()[...]
  func fail(_ message: String) -> Never {
    printError("digits: \(message)\n\n\(usage)")
    exit(2)
  }
  func value(for flag: String) -> String {
    guard let next = remaining.popFirst(), !next.hasPrefix("--") else { fail("\(flag) needs a value") }
    return next
  }
  func integer(for flag: String, atLeast minimum: Int) -> Int {
    let text = value(for: flag)
    guard let number = Int(text), number >= minimum else { fail("\(flag) needs an integer ≥ \(minimum), got '\(text)'") }
    return number
  }
  while let argument = remaining.popFirst() {
    switch argument {
    case "-h", "--help":
      print(usage, terminator: "")
      exit(0)
    case "--epochs": options.epochs = integer(for: argument, atLeast: 1)
    case "--batch-size": options.batchSize = integer(for: argument, atLeast: 1)
    case "--hidden": options.hidden = integer(for: argument, atLeast: 1)
    case "--dropout":
      let text = value(for: argument)
      guard let p = Double(text), p >= 0, p < 1 else { fail("--dropout needs a probability in [0, 1), got '\(text)'") }
      options.dropout = p
    case "--seed":
      let text = value(for: argument)
      guard let seed = UInt64(text) else { fail("--seed needs a non-negative integer, got '\(text)'") }
      options.seed = seed
    case "--rules":
      let items = value(for: argument).split(separator: ",").map { String($0).lowercased() }
      for item in items where !ruleNames.contains(item) {
        fail("unknown rule '\(item)'; choose from \(ruleNames.joined(separator: ", "))")
      }
      options.rules = ruleNames.filter(items.contains)
    case "--threads": options.threads = integer(for: argument, atLeast: 1)
    case "--checkpoints": options.checkpoints = value(for: argument)
    case "--resume": options.resume = true
    case "--stop-after": options.stopAfter = integer(for: argument, atLeast: 0)
    case "-o", "--output": options.output = value(for: argument)
    case "--no-plot": options.plot = false
    case "--data": options.data = value(for: argument)
    case "--benchmark": options.benchmark = true
    case "--steps": options.benchmarkSteps = integer(for: argument, atLeast: 1)
    default: fail("unknown option '\(argument)'")
    }
  }
  return options
}
