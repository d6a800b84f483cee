// `optimisers-bench --only soap [--torch PYTHON]`: SOAP steps (float32,
// defaults but η = 0.003 and a refresh every 10 steps) on one square leaf of
// 256² and 1024², on 1 and 2 threads, and — with --torch —
// `Benchmarks/torch_soap_bench.py` (pytorch-optimizer's SOAP) run right after
// with the same threads, so both numbers come from the same conditions.
// Both sides time the first step (statistics and the two eigendecompositions)
// and the steady state: the mean over one refresh period (ten steps, one of
// them the power iteration and QR), after the first two steps.
// The breakdown lines time the parts on their own: one eigendecomposition and
// one QR of an n × n matrix (serial whatever the threads), and the n³ matrix
// products a steady step makes (three rotations of two axes and two factors per
// step, plus two products per refresh: 8.2 per step), as a share of the step;
// the product is timed with plain row-major operands, while the rotations and
// factors read transposed ones, so the share is a lower bound.

import CommandLineSupport
import Foundation
import Optimisers

/// The benchmark's rule, leaf and two gradients.
struct SOAPSetup {
  static let frequency = 10
  let rule = SOAP<Tensor<Float>>(learningRate: 0.003, preconditionFrequency: SOAPSetup.frequency)
  let p: Tensor<Float>
  let gradients: [Tensor<Float>]

  init(size: Int) {
    var random = SplitMix64(seed: 7)
    p = Tensor<Float>(randomNormal: [size, size], seed: random.next())
    gradients = (0..<2).map { _ in Tensor<Float>(randomNormal: [size, size], seed: random.next()) }
  }
}

/// Seconds `body` takes.
func seconds(_ body: () -> Void) -> Double {
  let clock = ContinuousClock(), begin = clock.now
  body()
  return nanoseconds(clock.now - begin) / 1e9
}

/// The first step's seconds, and the mean nanoseconds per SOAP step over one
/// refresh period (median, min and max over `runs` periods) after one more warm-up step.
func timeSOAPSteps(_ setup: SOAPSetup, threads: Int, runs: Int) -> (first: Double, steady: Summary) {
  let rule = setup.rule, frequency = SOAPSetup.frequency
  return Parallelism.$current.withValue(Parallelism(maximumThreads: threads)) {
    var p = setup.p, state = rule.initialState(for: p)
    let first = seconds { rule.update(&state, &p, setup.gradients[0]) }
    rule.update(&state, &p, setup.gradients[1])
    var samples: [Double] = []
    for _ in 0..<runs {
      let period = seconds { for i in 0..<frequency { rule.update(&state, &p, setup.gradients[i % 2]) } }
      samples.append(period * 1e9 / Double(frequency))
    }
    return (first, Summary(samples))
  }
}

/// Seconds of one eigendecomposition and one QR of n × n matrices, and
/// nanoseconds of one n³ product on `threads` threads (the best of three).
func timeSOAPParts(_ setup: SOAPSetup, threads: Int) -> (eigen: Double, qr: Double, product: Double) {
  let g = setup.gradients[0]
  let factor = g.matmul(g.transposed())
  let eigen = seconds { _ = SymmetricEigen(factor) }
  let qr = seconds { _ = HouseholderQR(factor) }
  let product = Parallelism.$current.withValue(Parallelism(maximumThreads: threads)) {
    (0..<3).map { _ in seconds { _ = g.matmul(factor) } }.min()! * 1e9
  }
  return (eigen, qr, product)
}

/// The `--only soap` measurement.
func runSOAPBenchmark(python: String?, quick: Bool) {
  let runs = quick ? 2 : 3
  print("# SOAP step, float32, one square leaf, refresh every 10 steps; mean per step over 10 steps, median of \(runs) (min-max)")
  let ms = { (x: Double) in String(format: "%.1f", x / 1e6) }, s2 = { (x: Double) in String(format: "%.2f", x) }
  for size in [256, 1024] {
    let setup = SOAPSetup(size: size)
    for threads in [1, 2] {
      let swift = timeSOAPSteps(setup, threads: threads, runs: runs)
      let parts = timeSOAPParts(setup, threads: threads)
      let range = "(\(ms(swift.steady.min))-\(ms(swift.steady.max)))"
      var line = "\(size)x\(size), threads \(threads): Swift \(ms(swift.steady.median)) ms \(range), first step \(s2(swift.first)) s"
      if let python,
        let torch = runBenchmarkScript(
          python: python, script: "torch_soap_bench.py",
          arguments: ["--size", "\(size)", "--threads", "\(threads)", "--repeats", "\(runs)"]),
        let steady = torch["seconds_per_step_median"] as? Double, let first = torch["first_step_seconds"] as? Double
      {
        line += "; torch \(ms(steady * 1e9)) ms, first step \(s2(first)) s"
        line += "; Swift/torch steady \(s2(swift.steady.median / (steady * 1e9))), first step \(s2(swift.first / first))"
      }
      print(line)
      let gemm = 8.2 * parts.product / swift.steady.median
      print(
        "  parts: eigendecomposition \(s2(parts.eigen)) s, QR \(s2(parts.qr)) s (serial); one \(size)³ product \(ms(parts.product)) ms;"
          + " products are \(String(format: "%.0f", 100 * gemm))% of the steady step")
    }
  }
}
