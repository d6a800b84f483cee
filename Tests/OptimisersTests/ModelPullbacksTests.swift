import Optimisers
import Testing

/// The pullbacks a small real model needs (log-softmax, NLL, MSE, GELU, leaky
/// ReLU, layer normalisation, dropout, embedding), each against central finite
/// differences with the helpers of ``PullbacksTests``, plus values from tables.
extension PullbacksTests {
  @Test func logSoftmaxAndNegativeLogLikelihood() {
    var random = SplitMix64(seed: 201)
    for _ in 0..<Self.trials {
      let rows = random.int(in: 1...4), classes = random.int(in: 2...5)
      let x: Tensor<Double> = random.tensor([rows, classes], scale: 3)
      checkUnary("logSoftmax (rows)", x, seed: random.next(), Pullbacks.logSoftmax)
      checkUnary("logSoftmax (vector)", x.reshaped(to: [x.scalarCount]), seed: random.next(), Pullbacks.logSoftmax)
      let labels = (0..<rows).map { _ in random.int(in: 0...(classes - 1)) }
      checkReduction("negativeLogLikelihood", x) { Pullbacks.negativeLogLikelihood(logProbabilities: $0, labels: labels) }
      // nll(log_softmax(z)) is the cross-entropy of the logits, value and gradient.
      let (logp, logSoftmaxBack) = Pullbacks.logSoftmax(x)
      let (nll, nllBack) = Pullbacks.negativeLogLikelihood(logProbabilities: logp, labels: labels)
      let (crossEntropy, crossEntropyBack) = Pullbacks.softmaxCrossEntropy(logits: x, labels: labels)
      #expect(abs(nll - crossEntropy) <= 1e-12 * max(1, crossEntropy))
      let composed = logSoftmaxBack(nllBack(1)), direct = crossEntropyBack(1)
      for i in 0..<x.scalarCount { #expect(abs(composed[flat: i] - direct[flat: i]) <= 1e-12) }
    }
  }

  @Test func logSoftmaxRowsExponentiateToOneWithoutOverflow() {
    let (y, _) = Pullbacks.logSoftmax(Tensor<Double>(shape: [2, 3], scalars: [1000, 1001, 1002, -5, 0, 5]))
    for r in 0..<2 {
      let total = (0..<3).reduce(0.0) { $0 + Double.exp(y[r, $1]) }
      #expect(abs(total - 1) < 1e-12, "row \(r) sums to \(total)")  // ulp(1002) ≈ 2e-13
    }
    // log_softmax([0, 1, 2])[2] = −log(1 + e⁻¹ + e⁻²) = −0.40760596444437…
    #expect(abs(y[0, 2] - -0.4076059644443803) < 1e-12)
  }

  @Test func meanSquaredError() {
    var random = SplitMix64(seed: 202)
    for _ in 0..<Self.trials {
      let shape = [random.int(in: 1...4), random.int(in: 1...4)]
      let a: Tensor<Double> = random.tensor(shape), b: Tensor<Double> = random.tensor(shape)
      checkReduction("meanSquaredError (first argument)", a) { x in
        let (value, pullback) = Pullbacks.meanSquaredError(x, b)
        return (value, { pullback($0).0 })
      }
      checkReduction("meanSquaredError (second argument)", b) { x in
        let (value, pullback) = Pullbacks.meanSquaredError(a, x)
        return (value, { pullback($0).1 })
      }
    }
    let (value, _) = Pullbacks.meanSquaredError(Tensor<Double>([1, 2, 3, 4]), Tensor<Double>([1, 0, 3, 0]))
    #expect(value == 5)  // (0 + 4 + 0 + 16) / 4
  }

  @Test func geluAndLeakyReLU() {
    var random = SplitMix64(seed: 203)
    for _ in 0..<Self.trials {
      let shape = [random.int(in: 1...3), random.int(in: 1...5)]
      var x: Tensor<Double> = random.tensor(shape, scale: 2)
      x = x.map { abs($0) < 1e-3 ? -0.5 : $0 }   // keep the leaky kink off the stencil
      checkUnary("gelu", x, seed: random.next(), Pullbacks.gelu)
      checkUnary("leakyReLU", x, seed: random.next()) { Pullbacks.leakyReLU($0) }
      checkUnary("leakyReLU (α = 0.2)", x, seed: random.next()) { Pullbacks.leakyReLU($0, negativeSlope: 0.2) }
    }
  }

  @Test func geluIsTheErfFormWithTabulatedValues() {
    // x Φ(x) with Φ from tables: Φ(1) = 0.841344746068543, Φ(−1) = 0.158655253931457,
    // Φ(2) = 0.977249868051821.
    let (y, pullback) = Pullbacks.gelu(Tensor<Double>([1, -1, 2, 0]))
    #expect(abs(y[flat: 0] - 0.841344746068543) < 1e-14)
    #expect(abs(y[flat: 1] - -0.158655253931457) < 1e-14)
    #expect(abs(y[flat: 2] - 2 * 0.977249868051821) < 1e-14)
    #expect(y[flat: 3] == 0)
    // GELU′(0) = Φ(0) = ½; GELU′(1) = Φ(1) + φ(1) = 0.841344746068543 + 0.241970724519143.
    let slope = pullback(Tensor([1, 1, 1, 1]))
    #expect(slope[flat: 3] == 0.5)
    #expect(abs(slope[flat: 0] - 1.083315470587686) < 1e-14)
    let (single, _) = Pullbacks.gelu(Tensor<Float>([1, -1, 2]))
    #expect(abs(single[flat: 0] - 0.8413447) < 1e-6 && abs(single[flat: 1] - -0.15865525) < 1e-6)
  }

  @Test func leakyReLUSlopes() {
    let (y, pullback) = Pullbacks.leakyReLU(Tensor<Double>([-2, 0, 3]), negativeSlope: 0.1)
    #expect(y.scalars == [-0.2, 0, 3])
    #expect(pullback(Tensor([1, 1, 1])).scalars == [0.1, 0.1, 1])
  }

  @Test func layerNormalisation() {
    var random = SplitMix64(seed: 204)
    for _ in 0..<Self.trials {
      let rows = random.int(in: 1...3), features = random.int(in: 2...5)
      let x: Tensor<Double> = random.tensor([rows, features], scale: 2)
      let scale: Tensor<Double> = random.tensor([features]), offset: Tensor<Double> = random.tensor([features])
      checkUnary("layerNormalisation (input)", x, seed: random.next()) { input in
        let (y, pullback) = Pullbacks.layerNormalisation(input, scale: scale, offset: offset)
        return (y, { pullback($0).0 })
      }
      checkUnary("layerNormalisation (vector input)", x.reshaped(to: [x.scalarCount]), seed: random.next()) { input in
        let (y, pullback) = Pullbacks.layerNormalisation(
          input, scale: Tensor(repeating: 1.5, shape: [input.scalarCount]), offset: .zeros([input.scalarCount]))
        return (y, { pullback($0).0 })
      }
      checkUnary("layerNormalisation (scale)", scale, seed: random.next()) { g in
        let (y, pullback) = Pullbacks.layerNormalisation(x, scale: g, offset: offset)
        return (y, { pullback($0).1 })
      }
      checkUnary("layerNormalisation (offset)", offset, seed: random.next()) { b in
        let (y, pullback) = Pullbacks.layerNormalisation(x, scale: scale, offset: b)
        return (y, { pullback($0).2 })
      }
    }
  }

  @Test func layerNormalisationOfAKnownRow() {
    // [1, 2, 3]: mean 2, biased variance 2/3, so x̂ = [−1, 0, 1] / √(2/3 + ε).
    let (y, _) = Pullbacks.layerNormalisation(
      Tensor<Double>(shape: [1, 3], scalars: [1, 2, 3]), scale: Tensor([2, 2, 2]), offset: Tensor([0, 1, 0]),
      epsilon: 0)
    #expect(abs(y[0, 0] - -2 * 1.224744871391589) < 1e-14)
    #expect(y[0, 1] == 1)
    #expect(abs(y[0, 2] - 2 * 1.224744871391589) < 1e-14)
  }

  @Test func dropoutIsSeededAndCheckedAgainstDifferences() {
    var random = SplitMix64(seed: 205)
    for _ in 0..<Self.trials {
      let x: Tensor<Double> = random.tensor([random.int(in: 1...4), random.int(in: 1...6)])
      let seed = random.next()
      checkUnary("dropout", x, seed: random.next()) { Pullbacks.dropout($0, probability: 0.3, seed: seed) }
    }
    let x = Tensor<Double>(repeating: 2, shape: [100, 100])
    let (first, _) = Pullbacks.dropout(x, probability: 0.25, seed: 9)
    let (again, _) = Pullbacks.dropout(x, probability: 0.25, seed: 9)
    let (other, _) = Pullbacks.dropout(x, probability: 0.25, seed: 10)
    #expect(first.bitPatternsEqual(again))
    #expect(!first.bitPatternsEqual(other))
    #expect(first.scalars.allSatisfy { $0 == 0 || $0 == 2 / 0.75 })
    // 10,000 Bernoulli(0.75) draws: the kept count is 7,500 ± 43 (one standard deviation).
    let kept = first.scalars.filter { $0 != 0 }.count
    #expect(abs(kept - 7_500) < 5 * 43, "kept \(kept) of 10,000")
    #expect(Pullbacks.dropout(x, probability: 0, seed: 1).value.bitPatternsEqual(x))
    #expect(Pullbacks.dropout(x, probability: 1, seed: 1).value.scalars.allSatisfy { $0 == 0 })
  }

  @Test func linearLayer() {
    var random = SplitMix64(seed: 207)
    for _ in 0..<Self.trials {
      let batch = random.int(in: 1...4), inputs = random.int(in: 1...6), outputs = random.int(in: 1...9)
      let x: Tensor<Double> = random.tensor([batch, inputs]), w: Tensor<Double> = random.tensor([outputs, inputs])
      let b: Tensor<Double> = random.tensor([outputs])
      checkUnary("linear (input)", x, seed: random.next()) { v in
        let (y, pullback) = Pullbacks.linear(v, weight: w, bias: b)
        return (y, { pullback($0).0 })
      }
      checkUnary("linear (weight)", w, seed: random.next()) { v in
        let (y, pullback) = Pullbacks.linear(x, weight: v, bias: b)
        return (y, { pullback($0).1 })
      }
      checkUnary("linear (bias)", b, seed: random.next()) { v in
        let (y, pullback) = Pullbacks.linear(x, weight: w, bias: v)
        return (y, { pullback($0).2 })
      }
    }
  }

  @Test func matrixProductKernelsAgreeBitwiseWithTheTripleLoop() {
    // Shapes around the 4 × 4 tiles, their edges and the remainder columns.
    var random = SplitMix64(seed: 208)
    for m in [1, 3, 4, 5, 9] {
      for n in [1, 4, 6, 8, 13] {
        for k in [1, 2, 7] {
          let a: Tensor<Double> = random.tensor([m, k]), b: Tensor<Double> = random.tensor([k, n])
          var loop = [Double](repeating: 0, count: m * n)
          for i in 0..<m { for p in 0..<k { for j in 0..<n { loop[i * n + j] += a[i, p] * b[p, j] } } }
          let expected = Tensor(shape: [m, n], scalars: loop)
          #expect(a.matmul(b).bitPatternsEqual(expected), "matmul [\(m), \(k)] × [\(k), \(n)]")
          #expect(a.transposed().transposedMatmul(b).bitPatternsEqual(expected), "transposedMatmul [\(k), \(m)]ᵀ × [\(k), \(n)]")
        }
      }
    }
    #expect(Tensor<Double>.zeros([3, 0]).matmul(.zeros([0, 2])).scalars == [0, 0, 0, 0, 0, 0])
    #expect(Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4]).transposedMatmul(Tensor(shape: [2, 1], scalars: [1, 1])).scalars == [4, 6])
  }

  @Test func embeddingLookup() {
    var random = SplitMix64(seed: 206)
    for _ in 0..<Self.trials {
      let vocabulary = random.int(in: 1...5), width = random.int(in: 1...4)
      let indices = (0..<random.int(in: 1...6)).map { _ in random.int(in: 0...(vocabulary - 1)) }
      checkUnary("embedding", random.tensor([vocabulary, width]), seed: random.next()) {
        Pullbacks.embedding($0, indices: indices)
      }
    }
    let table = Tensor<Double>(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21])
    let (rows, pullback) = Pullbacks.embedding(table, indices: [2, 0, 2])
    #expect(rows.shape == [3, 2] && rows.scalars == [20, 21, 0, 1, 20, 21])
    // Repeated indices add their cotangents.
    #expect(pullback(Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])).scalars == [3, 4, 0, 0, 6, 8])
  }
}

@Suite struct MiniBatchesTests {
  @Test func everyEpochIsAPermutationCutIntoBatches() {
    let batching = MiniBatches(count: 103, batchSize: 10, seed: 3)
    #expect(batching.batchesPerEpoch == 11)
    var orders: [[Int]] = []
    for epoch in 0..<4 {
      let batches = batching.batches(epoch: epoch)
      #expect(batches.count == 11)
      #expect(batches.dropLast().allSatisfy { $0.count == 10 } && batches.last?.count == 3)
      let order = batches.flatMap { $0 }
      #expect(order.sorted() == Array(0..<103))
      #expect(order == batching.order(epoch: epoch))
      orders.append(order)
    }
    #expect(Set(orders).count == 4, "every epoch has its own order")
    #expect(orders[0] != Array(0..<103))
    // A fresh value with the same seed repeats every epoch; another seed does not.
    #expect(MiniBatches(count: 103, batchSize: 10, seed: 3).order(epoch: 2) == orders[2])
    #expect(MiniBatches(count: 103, batchSize: 10, seed: 4).order(epoch: 2) != orders[2])
  }

  @Test func dropsTheShortLastBatchWhenAsked() {
    let batching = MiniBatches(count: 25, batchSize: 10, seed: 1, dropsLast: true)
    #expect(batching.batchesPerEpoch == 2)
    #expect(batching.batches(epoch: 0).map(\.count) == [10, 10])
    #expect(MiniBatches(count: 0, batchSize: 4, seed: 1).batches(epoch: 0).isEmpty)
  }

  @Test func theShuffleIsUniformEnough() {
    // Where element 0 lands over 4,000 epochs of 4 items: 1,000 ± 27 per slot.
    let batching = MiniBatches(count: 4, batchSize: 4, seed: 11)
    var landed = [0, 0, 0, 0]
    for epoch in 0..<4_000 { landed[batching.order(epoch: epoch).firstIndex(of: 0)!] += 1 }
    #expect(landed.allSatisfy { abs($0 - 1_000) < 5 * 27 }, "\(landed)")
  }

  @Test func rowsAreGatheredInOrder() {
    let m = Tensor<Double>(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
    #expect(m.rows(at: [2, 2, 0]).scalars == [5, 6, 5, 6, 1, 2])
    #expect(m.rows(at: []).shape == [0, 2])
  }
}
