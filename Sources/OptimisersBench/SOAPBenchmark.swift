// `optimisers-bench --only soap [--torch PYTHON]`: SOAP steps (float32,
// defaults but η = 0.003 and a refresh every 10 steps) on one square leaf of
// 256² and 1024², on 1 and 2 threads, and — with --torch —
// `Benchmarks/torch_soap_bench.py` (pytorch-optimizer's SOAP) run right after
// with the same threads, so both numbers come from the same conditions.
// Both sides time the steady state: the mean over one refresh period (ten
// steps, one of them the power iteration and QR), after the first two steps.

import Foundation
import Optimisers

/// The benchmark's rule, leaf, two gradients, and the state after its first
/// step (the eigendecompositions, serial whatever the threads) with its seconds.
struct SOAPSetup {
  static let frequency = 10
  let rule = SOAP<Tensor<Float>>(learningRate: 0.003, preconditionFrequency: SOAPSetup.frequency)
  var p: Tensor<Float>
  let gradients: [Tensor<Float>]
  var state: SOAP<Tensor<Float>>.State
  let firstStepSeconds: Double

  init(size: Int) {
    var random = SplitMix64(seed: 7)
    p = Tensor<Float>(randomNormal: [size, size], seed: random.next())
    gradients = (0..<2).map { _ in Tensor<Float>(randomNormal: [size, size], seed: random.next()) }
    state = rule.initialState(for: p)
    guard size <= 512 else {
      // The serial Jacobi eigendecompositions of two 1024² factors take
      // minutes; the steady-state step costs the same whatever orthogonal
      // bases it rotates by, so start from the QR of a random matrix.
      let basis = HouseholderQR(Tensor<Float>(randomNormal: [size, size], seed: random.next())).q
      state.step = 1
      state.preconditioners[0].bases = [basis, basis]
      firstStepSeconds = .nan
      return
    }
    let clock = ContinuousClock(), begin = clock.now
    rule.update(&state, &p, gradients[0])
    firstStepSeconds = nanoseconds(clock.now - begin) / 1e9
  }
}

/// Mean nanoseconds per SOAP step over one refresh period (median, min and
/// max over `runs` periods), after one more warm-up step.
func timeSOAPStep(_ setup: SOAPSetup, threads: Int, runs: Int) -> Summary {
  let clock = ContinuousClock(), rule = setup.rule, frequency = SOAPSetup.frequency
  return Parallelism.$current.withValue(Parallelism(maximumThreads: threads)) {
    var p = setup.p, state = setup.state
    rule.update(&state, &p, setup.gradients[1])
    var samples: [Double] = []
    for _ in 0..<runs {
      let begin = clock.now
      for i in 0..<frequency { rule.update(&state, &p, setup.gradients[i % 2]) }
      samples.append(nanoseconds(clock.now - begin) / Double(frequency))
    }
    return Summary(samples)
  }
}

/// Runs the torch script and returns its median seconds per step, or `nil`.
func torchSOAPStep(python: String, size: Int, threads: Int, runs: Int) -> Double? {
  torchSecondsPerStep(
    python: python, script: "torch_soap_bench.py",
    arguments: ["--size", "\(size)", "--threads", "\(threads)", "--repeats", "\(runs)"])
}

/// The `--only soap` measurement.
func runSOAPBenchmark(python: String?, quick: Bool) {
  let runs = quick ? 2 : 3
  print("# SOAP step, float32, one square leaf, refresh every 10 steps; mean per step over 10 steps, median of \(runs) (min-max)")
  let ms = { (x: Double) in String(format: "%.1f", x / 1e6) }
  for size in [256, 1024] {
    let setup = SOAPSetup(size: size)
    if !setup.firstStepSeconds.isNaN {
      print("\(size)x\(size): Swift first step (Jacobi eigendecompositions) \(String(format: "%.2f", setup.firstStepSeconds)) s")
    }
    for threads in [1, 2] {
      let swift = timeSOAPStep(setup, threads: threads, runs: runs)
      var line = "\(size)x\(size), threads \(threads): Swift \(ms(swift.median)) ms (\(ms(swift.min))-\(ms(swift.max)))"
      if let python, let torch = torchSOAPStep(python: python, size: size, threads: threads, runs: runs) {
        line += "; torch \(ms(torch * 1e9)) ms, Swift/torch \(String(format: "%.2f", swift.median / (torch * 1e9)))"
      }
      print(line)
    }
  }
}
