// checkpoint-stress: the helper process of the checkpoint kill test, and a
// bigger decoding fuzz run for release builds.
//
//   checkpoint-stress write PATH FIRST_STEP COUNT [SIZE]
//       Trains Adam on a SIZE-element vector (default 200000) with a constant
//       gradient and writes a checkpoint (state and parameters) to PATH after
//       every step from FIRST_STEP on, printing "wrote N" after each. The kill
//       test kills it at random moments.
//   checkpoint-stress write-prepared PATH FIRST_STEP COUNT [SIZE]
//       Encodes COUNT checkpoints first, prints "ready", then only writes them
//       (CheckpointFile.writeAtomically), so a kill lands inside the
//       open/write/fsync/rename sequence far more often.
//   checkpoint-stress fuzz [CASES] [SEED]
//       Runs the decoding fuzzer on Adam and Momentum checkpoints (default
//       100000 cases each) and prints the report.
//   checkpoint-stress write-bench SIZE DIR [ROUNDS]
//       Times writing a SIZE-parameter Adam checkpoint against copying the
//       same bytes, and reports the peak memory growth (WriteBenchmark).
//   checkpoint-stress hostile DIR [MB]
//       Reads hostile checkpoints of tiny values in child processes and
//       prints the outcomes (HostileInputs).
//   checkpoint-stress read PATH
//       Reads one checkpoint and prints the outcome; run it under
//       /usr/bin/time -v to see its peak memory.
import CommandLineSupport
import Foundation
import OptimiserLaws
import Optimisers

let usage = """
  usage: checkpoint-stress write PATH FIRST_STEP COUNT [SIZE]
         checkpoint-stress write-prepared PATH FIRST_STEP COUNT [SIZE]
         checkpoint-stress fuzz [CASES] [SEED]

  write           trains Adam on a SIZE-element Float vector (default 200000)
                  with a constant gradient, and from step FIRST_STEP on writes a
                  checkpoint (state and parameters) to PATH after each of COUNT
                  steps, printing "wrote N" after each (the checkpoint kill test
                  kills it at random moments)
  write-prepared  encodes the COUNT checkpoints first, prints "ready", then only
                  writes them, so that a kill lands inside the
                  open/write/fsync/rename sequence far more often
  fuzz            runs the decoding fuzzer on Adam (Double) and Momentum (Float)
                  checkpoints, CASES each (default 100000), in 20 batches whose
                  seeds derive from SEED (default 1), prints the report and exits
                  with 1 if it found a problem

  Progress goes to standard error when it is a terminal.

    -h, --help    show this help

  """

func fail(_ message: String) -> Never {
  CommandLineHelp.fail(program: "checkpoint-stress", message, usage: usage)
}

CommandLineHelp.handle(usage: usage)
let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("needs a command") }

switch arguments[1] {
case "write", "write-prepared":
  guard arguments.count >= 5, let first = Int(arguments[3]), let count = Int(arguments[4]) else {
    fail("usage: checkpoint-stress write[-prepared] PATH FIRST_STEP COUNT [SIZE]")
  }
  let prepared = arguments[1] == "write-prepared"
  let path = arguments[2]
  let size = arguments.count > 5 ? Int(arguments[5]) ?? 200_000 : 200_000
  let adam = Adam<Tensor<Float>>(learningRate: 0.001)
  var params = Tensor<Float>.zeros([size])
  var state = adam.initialState(for: params)
  let gradient = Tensor<Float>(repeating: 1, shape: [size])
  for _ in 0..<first { adam.update(&state, &params, gradient) }
  var encoded: [(step: Int, bytes: [UInt8])] = []
  var progress = ProgressLine(label: arguments[1], total: count)
  if prepared {
    for _ in 0..<count {
      progress.advance(detail: "encoding")
      adam.update(&state, &params, gradient)
      do {
        encoded.append((state.step, try adam.checkpoint(state, for: params, includingParameters: true).encoded()))
      } catch {
        fail("\(error)")
      }
    }
    progress.finish()
    FileHandle.standardOutput.write(Data("ready\n".utf8))
    for (step, bytes) in encoded {
      do { try CheckpointFile.writeAtomically(bytes, to: path) } catch { fail("\(error)") }
      FileHandle.standardOutput.write(Data("wrote \(step)\n".utf8))
    }
    exit(0)
  }
  for _ in 0..<count {
    progress.advance(detail: "step \(state.step + 1)")
    adam.update(&state, &params, gradient)
    do {
      try adam.checkpoint(state, for: params, includingParameters: true).write(toFile: path)
    } catch {
      fail("\(error)")
    }
    FileHandle.standardOutput.write(Data("wrote \(state.step)\n".utf8))
  }
  progress.finish()

case "fuzz":
  let cases = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000
  let seed = arguments.count > 3 ? UInt64(arguments[3]) ?? 1 : 1
  let batches = min(20, max(1, cases))
  var progress = ProgressLine(label: "fuzz", total: 2 * batches)
  /// `cases` decoding cases on `optimiser` in `batches` runs, so that progress
  /// can be shown; batch i uses seed `base + i · 0x9E3779B97F4A7C15`.
  func fuzzInBatches<O: Optimiser>(
    _ name: String, _ optimiser: O, state: O.State, parameters: O.Params, base: UInt64
  ) -> DecodingFuzzReport {
    var report: DecodingFuzzReport?
    for batch in 0..<batches {
      progress.advance(detail: "\(name), batch \(batch + 1) of \(batches)")
      let share = cases / batches + (batch < cases % batches ? 1 : 0)
      let batchSeed = base &+ UInt64(batch) &* 0x9E37_79B9_7F4A_7C15
      let batchReport = DecodingFuzzer.fuzz(optimiser, state: state, parameters: parameters, cases: share, seed: batchSeed)
      if report == nil { report = batchReport } else { report!.merge(batchReport) }
    }
    return report!
  }
  let adam = Adam<Tensor<Double>>(learningRate: 0.01)
  var params = Tensor<Double>(randomNormal: [4, 3], seed: 1)
  var adamState = adam.initialState(for: params)
  for step in 0..<3 { adam.update(&adamState, &params, Tensor(randomNormal: [4, 3], seed: UInt64(step))) }
  var report = fuzzInBatches("Adam", adam, state: adamState, parameters: params, base: seed)

  let momentum = Momentum<Tensor<Float>>(learningRate: 0.1)
  var floats = Tensor<Float>(randomNormal: [5], seed: 2)
  var momentumState = momentum.initialState(for: floats)
  momentum.update(&momentumState, &floats, Tensor(randomNormal: [5], seed: 3))
  report.merge(fuzzInBatches("Momentum", momentum, state: momentumState, parameters: floats, base: seed &+ 1))
  progress.finish()
  print(report)
  exit(report.problems.isEmpty ? 0 : 1)

case "write-bench":
  guard arguments.count >= 4, let size = Int(arguments[2]) else { fail("usage: checkpoint-stress write-bench SIZE DIR [ROUNDS]") }
  do {
    try WriteBenchmark.run(size: size, directory: arguments[3], rounds: arguments.count > 4 ? Int(arguments[4]) ?? 5 : 5)
  } catch {
    fail("\(error)")
  }

case "hostile":
  guard arguments.count >= 3 else { fail("usage: checkpoint-stress hostile DIR [MB]") }
  do {
    try HostileInputs.run(
      directory: arguments[2], megabytes: arguments.count > 3 ? Int(arguments[3]) ?? 64 : 64, executable: arguments[0])
  } catch {
    fail("\(error)")
  }

case "read":
  guard arguments.count >= 3 else { fail("usage: checkpoint-stress read PATH") }
  HostileInputs.read(arguments[2])

default:
  fail("unknown command '\(arguments[1])'")
}
