import DigitsSupport
import Optimisers

/// Times the parts of one training step of the example's network with Adam on
/// batches of `options.batchSize`: the whole step (gather the batch, forward,
/// pullback, update), the forward pass with the pullback alone, the Adam
/// update alone, and the matrix products of a step alone. Reports the median
/// of five repetitions of `options.benchmarkSteps` steps each; compare with
/// `Benchmarks/digits_step_torch.py` on the same machine and threads.
func runBenchmark(options: Options, training: DigitsDataset, parallelism: Parallelism) {
  #if DEBUG
  printError("digits: --benchmark in a debug build measures the debug build; use `swift run -c release digits --benchmark`\n")
  #endif
  let steps = options.benchmarkSteps
  let model = DigitsNetwork(hidden: options.hidden, seed: options.seed)
  let rule = Adam<DigitsNetwork>(learningRate: 1e-3)
  let batches = MiniBatches(count: training.count, batchSize: options.batchSize, seed: 1, dropsLast: true)
  let epochBatches = batches.batches(epoch: 0)
  let inputs = epochBatches.map { training.images.rows(at: $0) }
  let labels = epochBatches.map { $0.map { training.labels[$0] } }
  let clock = ContinuousClock()

  func median(_ body: () -> Double) -> Double {
    var times: [Double] = []
    for _ in 0..<5 {
      let start = clock.now
      let sink = body()
      times.append(seconds(clock.now - start) / Double(steps) * 1e6)
      if sink.isNaN { print("(NaN)") }
    }
    return times.sorted()[2]
  }

  let (_, fixedGradient) = valueWithGradient(at: model) { $0.loss(inputs[0], labels[0]) }
  let results: [(String, Double)] = Parallelism.$current.withValue(parallelism) {
    let whole = median {
      var m = model, state = rule.initialState(for: model), total = 0.0
      for step in 0..<steps {
        let b = step % epochBatches.count
        let x = training.images.rows(at: epochBatches[b])
        let (loss, gradient) = valueWithGradient(at: m) { $0.loss(x, labels[b]) }
        (state, m) = rule.update(consume state, consume m, gradient)
        total += loss
      }
      return total
    }
    let gradientOnly = median {
      var total = 0.0
      for step in 0..<steps {
        let b = step % epochBatches.count
        let (loss, gradient) = valueWithGradient(at: model) { $0.loss(inputs[b], labels[b]) }
        total += loss + gradient[\.output.bias][flat: 0]
      }
      return total
    }
    let updateOnly = median {
      var m = model, state = rule.initialState(for: model)
      for _ in 0..<steps { (state, m) = rule.update(consume state, consume m, fixedGradient) }
      return m.output.bias[flat: 0]
    }
    let products = median {
      // The step's matrix products as `Pullbacks.linear` does them: forward
      // x W₁ᵀ and h W₂ᵀ (transposing W); backward ḡ₂ W₂, ḡ₂ᵀ h, ḡ₁ W₁ and ḡ₁ᵀ x.
      var total = 0.0
      let w1 = model.hidden.weight, w2 = model.output.weight
      for step in 0..<steps {
        let x = inputs[step % inputs.count]
        let h = x.matmul(w1.transposed())
        let logits = h.matmul(w2.transposed())
        let dh = logits.matmul(w2)
        let dw2 = logits.transposedMatmul(h)
        let dx = h.matmul(w1)
        let dw1 = h.transposedMatmul(x)
        total += dw1[flat: 0] + dx[flat: 0] + dw2[flat: 0] + dh[flat: 0]
      }
      return total
    }
    return [("whole step", whole), ("forward + pullback", gradientOnly), ("Adam update", updateOnly),
            ("matrix products", products)]
  }
  let threads = options.threads.map(String.init) ?? "default (\(Parallelism.processorCount) processors)"
  print("digits training step, Float64, 64 → \(options.hidden) → 10 GELU, batch \(options.batchSize), Adam, threads \(threads)")
  print("median of 5 × \(steps) steps, µs per step:")
  let whole = results[0].1
  for (name, time) in results {
    print("  \(name + String(repeating: " ", count: 20 - name.count)) \(pad(decimal(time, digits: 2), 9)) µs   \(pad(decimal(100 * time / whole, digits: 1), 5))% of the step")
  }
}
