// The low-precision targets: 8-bit Adam with Float parameters and 8-bit Adam
// on BFloat16 parameters and gradients, each interleaved with f32 Adam on 10⁷
// parameters, on 1 and 2 threads. Also prints the bytes each step moves and
// the state each keeps, per parameter.

import Optimisers

/// One low-precision configuration: its name, its target ratio to f32 Adam,
/// the bytes a step moves and the state bytes, per parameter.
struct PrecisionCase {
  var name: String
  var limit: Double
  var bytesMoved: Double
  var stateBytes: Double
}

/// Runs the low-precision targets and prints their table.
func runPrecisionTargets() {
  let n = 10_000_000
  let adam = Rule("Adam", buffers: 2, Adam<Tensor<Float>>(learningRate: 1e-3)).makeStepper(
    vector(Float.self, count: n, seed: 1, scale: 1), vector(Float.self, count: n, seed: 2, scale: 1))
  let eightBit = Rule("Adam8", buffers: 2, Quantised(Adam<Tensor<Float>>(learningRate: 1e-3))).makeStepper(
    vector(Float.self, count: n, seed: 1, scale: 1), vector(Float.self, count: n, seed: 2, scale: 1))
  let bf16 = Rule("Adam8bf16", buffers: 2, Quantised(Adam<Tensor<BFloat16>>(learningRate: 1e-3))).makeStepper(
    vector(BFloat16.self, count: n, seed: 1, scale: 1), vector(BFloat16.self, count: n, seed: 2, scale: 1))
  let blocks = Double((n + 255) / 256)
  let stateBytes = (2 * Double(n) + 2 * 4 * blocks) / Double(n)
  let cases: [(PrecisionCase, (Int) -> Void)] = [
    (PrecisionCase(name: "8-bit Adam, f32 params", limit: 0.65, bytesMoved: 16, stateBytes: stateBytes), eightBit.inPlace),
    (PrecisionCase(name: "8-bit Adam, bf16 params", limit: 0.45, bytesMoved: 10, stateBytes: stateBytes), bf16.inPlace),
  ]
  var rows: [(PrecisionCase, Int, TargetResult)] = []
  for (entry, inPlace) in cases {
    for threads in [1, 2] {
      compare("\(entry.name) / Adam f32, 1e7, \(threads) thr", limit: entry.limit,
              { steps in withThreads(threads) { inPlace(steps) } },
              { steps in withThreads(threads) { adam.inPlace(steps) } })
      rows.append((entry, threads, targets[targets.count - 1]))
    }
  }
  guard !options.json else { return }
  progress.finish()
  print("\n## Lower precision against f32 Adam (10^7 parameters; f32 Adam moves 28 B and keeps 8 B of state per parameter)\n")
  print("configuration".padding(toLength: 26) + " thr " + "ratio".leftPadding(toLength: 6) + " "
        + "min–max".leftPadding(toLength: 12) + " " + "limit".leftPadding(toLength: 6) + "  met  "
        + "B moved/param".leftPadding(toLength: 14) + " " + "state B/param".leftPadding(toLength: 14) + " "
        + "ms/step".leftPadding(toLength: 8) + " " + "Adam ms".leftPadding(toLength: 8))
  for (entry, threads, result) in rows {
    func r(_ x: Double) -> String { String((x * 100).rounded() / 100) }
    print(entry.name.padding(toLength: 26) + " " + "\(threads)".leftPadding(toLength: 3) + " "
          + r(result.ratios.median).leftPadding(toLength: 6) + " "
          + "\(r(result.ratios.min))–\(r(result.ratios.max))".leftPadding(toLength: 12) + " "
          + r(entry.limit).leftPadding(toLength: 6) + "  " + (result.ratios.median <= entry.limit ? "yes " : "NO  ") + " "
          + r(entry.bytesMoved).leftPadding(toLength: 14) + " " + r(entry.stateBytes).leftPadding(toLength: 14) + " "
          + r(result.numerator.median / 1e6).leftPadding(toLength: 8) + " " + r(result.denominator.median / 1e6).leftPadding(toLength: 8))
  }
}
