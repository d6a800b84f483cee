// `optimisers-bench --muon [--torch PYTHON]`: one Muon step (float32, PyTorch
// variant, defaults but η = 0.02) on 1024 × 1024, 4096 × 1024 and 1024 × 4096
// leaves, on 1 and 2 threads, and — with --torch — `Benchmarks/torch_muon_bench.py`
// run right after with the same threads, so both numbers come from the same
// conditions; prints the ratio torch / Swift (> 1: Swift is faster) for
// torch's own bfloat16 Newton–Schulz and for its float32 one. Then the raw
// float32 matrix products of those steps, in GFLOP/s, against torch.mm.

import Foundation
import Optimisers

/// Medians (and extremes) of Muon steps on a `rows` × `columns` float32 leaf.
func timeMuonStep(rows: Int, columns: Int, threads: Int, runs: Int) -> Summary {
  var random = SplitMix64(seed: 7)
  let start = Tensor<Float>(randomNormal: [rows, columns], seed: random.next())
  let gradient = Tensor<Float>(randomNormal: [rows, columns], seed: random.next())
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

/// Medians of `Tensor.matmul` on float32 [m, k] × [k, n].
func timeMatrixProduct(m: Int, k: Int, n: Int, threads: Int, runs: Int) -> Summary {
  let a = Tensor<Float>(randomNormal: [m, k], seed: 1), b = Tensor<Float>(randomNormal: [k, n], seed: 2)
  let clock = ContinuousClock()
  return Parallelism.$current.withValue(Parallelism(maximumThreads: threads)) {
    _ = a.matmul(b)  // warm-up
    var samples: [Double] = []
    for _ in 0..<runs {
      let begin = clock.now
      _ = a.matmul(b)
      samples.append(nanoseconds(clock.now - begin))
    }
    return Summary(samples)
  }
}

/// Runs the torch script and returns its median seconds per step, or `nil`.
func torchMuonStep(python: String, rows: Int, columns: Int, threads: Int, runs: Int, float32: Bool) -> Double? {
  torchSecondsPerStep(
    python: python, script: "torch_muon_bench.py",
    arguments: ["--rows", "\(rows)", "--columns", "\(columns)", "--threads", "\(threads)", "--steps", "1",
      "--repeats", "\(runs)"] + (float32 ? ["--float32"] : []))
}

/// The `--muon` measurement.
func runMuonBenchmark(python: String?, quick: Bool) {
  let runs = quick ? 3 : 5
  let ms = { (x: Double) in String(format: "%.1f", x / 1e6) }
  let leaves = quick ? [(1024, 1024)] : [(1024, 1024), (4096, 1024), (1024, 4096)]
  print("# Muon step, float32, 5 Newton-Schulz steps; medians over \(runs) steps (min-max); torch/Swift > 1: Swift faster")
  for (rows, columns) in leaves {
    for threads in [1, 2] {
      let swift = timeMuonStep(rows: rows, columns: columns, threads: threads, runs: runs)
      var line = "\(rows)x\(columns) threads \(threads): Swift \(ms(swift.median)) ms (\(ms(swift.min))-\(ms(swift.max)))"
      if let python {
        for float32 in [false, true] {
          let torch = torchMuonStep(
            python: python, rows: rows, columns: columns, threads: threads, runs: runs, float32: float32)
          if let torch {
            let ratio = torch * 1e9 / swift.median
            line += "; torch \(float32 ? "float32" : "bfloat16") NS \(ms(torch * 1e9)) ms, torch/Swift \(String(format: "%.2f", ratio))"
          }
        }
      }
      print(line)
    }
  }
  print("# float32 matrix product [m, k] x [k, n], GFLOP/s (2mkn / median time)")
  for (m, k, n) in [(1024, 1024, 1024), (1024, 4096, 1024), (1024, 1024, 4096)] {
    for threads in [1, 2] {
      let flops = 2 * Double(m * k * n)
      let swift = timeMatrixProduct(m: m, k: k, n: n, threads: threads, runs: runs)
      var line = "\(m)x\(k)x\(n) threads \(threads): Swift \(String(format: "%.1f", flops / swift.median)) GFLOP/s"
      if let python {
        let arguments = ["--gemm", "\(m)", "\(k)", "\(n)", "--threads", "\(threads)", "--steps", "1", "--repeats", "\(runs)"]
        if let torch = torchSecondsPerStep(python: python, script: "torch_muon_bench.py", arguments: arguments) {
          line += "; torch.mm \(String(format: "%.1f", flops / torch / 1e9)) GFLOP/s, Swift/torch \(String(format: "%.2f", torch * 1e9 / swift.median))"
        }
      }
      print(line)
    }
  }
}
