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
import Foundation
import OptimiserLaws
import Optimisers

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data((message + "\n").utf8))
  exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: checkpoint-stress write PATH FIRST COUNT [SIZE] | fuzz [CASES] [SEED]") }

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
  if prepared {
    for _ in 0..<count {
      adam.update(&state, &params, gradient)
      do {
        encoded.append((state.step, try adam.checkpoint(state, for: params, includingParameters: true).encoded()))
      } catch {
        fail("\(error)")
      }
    }
    FileHandle.standardOutput.write(Data("ready\n".utf8))
    for (step, bytes) in encoded {
      do { try CheckpointFile.writeAtomically(bytes, to: path) } catch { fail("\(error)") }
      FileHandle.standardOutput.write(Data("wrote \(step)\n".utf8))
    }
    exit(0)
  }
  for _ in 0..<count {
    adam.update(&state, &params, gradient)
    do {
      try adam.checkpoint(state, for: params, includingParameters: true).write(toFile: path)
    } catch {
      fail("\(error)")
    }
    FileHandle.standardOutput.write(Data("wrote \(state.step)\n".utf8))
  }

case "fuzz":
  let cases = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000
  let seed = arguments.count > 3 ? UInt64(arguments[3]) ?? 1 : 1
  let adam = Adam<Tensor<Double>>(learningRate: 0.01)
  var params = Tensor<Double>(randomNormal: [4, 3], seed: 1)
  var adamState = adam.initialState(for: params)
  for step in 0..<3 { adam.update(&adamState, &params, Tensor(randomNormal: [4, 3], seed: UInt64(step))) }
  var report = DecodingFuzzer.fuzz(adam, state: adamState, parameters: params, cases: cases, seed: seed)

  let momentum = Momentum<Tensor<Float>>(learningRate: 0.1)
  var floats = Tensor<Float>(randomNormal: [5], seed: 2)
  var momentumState = momentum.initialState(for: floats)
  momentum.update(&momentumState, &floats, Tensor(randomNormal: [5], seed: 3))
  report.merge(DecodingFuzzer.fuzz(momentum, state: momentumState, parameters: floats, cases: cases, seed: seed &+ 1))
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
  fail("unknown command \(arguments[1])")
}
