// `optimisers-bench --muon [--torch PYTHON]`: one Muon step (float32, PyTorch
// variant, defaults but η = 0.02) on a 1024 × 1024 leaf, on 1 and 2 threads,
// and — with --torch — `Benchmarks/torch_muon_bench.py` run right after with the
// same threads, so both numbers come from the same conditions; prints the ratio
// Swift / torch for torch's own bfloat16 Newton–Schulz and for its float32 one.

import Foundation
import Optimisers

/// Medians (and extremes) of Muon steps on a `size` × `size` float32 leaf.
func timeMuonStep(size: Int, threads: Int, runs: Int) -> Summary {
  var random = SplitMix64(seed: 7)
  let start = Tensor<Float>(randomNormal: [size, size], seed: random.next())
  let gradient = Tensor<Float>(randomNormal: [size, size], seed: random.next())
  let rule = Muon<Tensor<Float>>(learningRate: 0.02)
  let clock = ContinuousClock()
  return Parallelism.$current.withValue(Parallelism(maximumThreads: threads)) {
    var p = start, state = rule.initialState(for: p)
    rule.update(&state, &p, gradient)  // warm-up
    var samples: [Double] = []
    for _ in 0..<runs {
      let begin = clock.now
      rule.update(&state, &p, gradient)
      samples.append(nanoseconds(clock.now - begin))
    }
    return Summary(samples)
  }
}

/// Runs the torch script and returns its median seconds per step, or `nil`.
func torchMuonStep(python: String, size: Int, threads: Int, runs: Int, float32: Bool) -> Double? {
  torchSecondsPerStep(
    python: python, script: "torch_muon_bench.py",
    arguments: ["--size", "\(size)", "--threads", "\(threads)", "--steps", "1", "--repeats", "\(runs)"]
      + (float32 ? ["--float32"] : []))
}

/// The `--muon` measurement.
func runMuonBenchmark(python: String?, quick: Bool) {
  let size = 1024, runs = quick ? 3 : 5
  print("# Muon step, float32, \(size) x \(size) leaf, 5 Newton-Schulz steps; medians over \(runs) steps (min-max)")
  for threads in [1, 2] {
    let swift = timeMuonStep(size: size, threads: threads, runs: runs)
    let ms = { (x: Double) in String(Int((x / 1e6).rounded())) }
    var line = "threads \(threads): Swift \(ms(swift.median)) ms (\(ms(swift.min))-\(ms(swift.max)))"
    if let python {
      for float32 in [false, true] {
        if let torch = torchMuonStep(python: python, size: size, threads: threads, runs: runs, float32: float32) {
          let ratio = swift.median / (torch * 1e9)
          line += "; torch \(float32 ? "float32" : "bfloat16") NS \(ms(torch * 1e9)) ms, Swift/torch \(String(format: "%.2f", ratio))"
        }
      }
    }
    print(line)
  }
}
