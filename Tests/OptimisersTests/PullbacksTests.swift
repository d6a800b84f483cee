import Optimisers
import Testing

/// Every pullback against central finite differences, over random shapes and
/// values. For a primitive f and a random cotangent w, the directional check is
/// ⟨pullback(w), d⟩ ≈ (⟨w, f(x + hd)⟩ − ⟨w, f(x − hd)⟩) / 2h for random d.
@Suite struct PullbacksTests {
  static let trials = 20
  let h = 1e-6

  /// Compares a pullback's input cotangent with central differences along
  /// every coordinate of `x`.
  func checkUnary(
    _ name: String, _ x: Tensor<Double>, seed: UInt64,
    _ f: (Tensor<Double>) -> (value: Tensor<Double>, pullback: (Tensor<Double>) -> Tensor<Double>)
  ) {
    let (y, pullback) = f(x)
    let w = Tensor<Double>(randomNormal: y.shape, seed: seed)
    let analytic = pullback(w)
    #expect(analytic.shape == x.shape, "\(name): cotangent shape \(analytic.shape) ≠ input shape \(x.shape)")
    for i in 0..<x.scalarCount {
      var plus = x, minus = x
      plus[flat: i] += h
      minus[flat: i] -= h
      let numeric = ((w * f(plus).value).sum() - (w * f(minus).value).sum()) / (2 * h)
      #expect(abs(numeric - analytic[flat: i]) <= 1e-6 * max(1, abs(numeric)),
              "\(name): ∂/∂x[\(i)] numeric \(numeric) vs pullback \(analytic[flat: i])")
    }
  }

  func checkBinary(
    _ name: String, _ a: Tensor<Double>, _ b: Tensor<Double>, seed: UInt64,
    _ f: (Tensor<Double>, Tensor<Double>) -> (value: Tensor<Double>, pullback: (Tensor<Double>) -> (Tensor<Double>, Tensor<Double>))
  ) {
    checkUnary(name + " (first argument)", a, seed: seed) { x in
      let (y, pb) = f(x, b)
      return (y, { pb($0).0 })
    }
    checkUnary(name + " (second argument)", b, seed: seed) { x in
      let (y, pb) = f(a, x)
      return (y, { pb($0).1 })
    }
  }

  func checkReduction(
    _ name: String, _ x: Tensor<Double>,
    _ f: (Tensor<Double>) -> (value: Double, pullback: (Double) -> Tensor<Double>)
  ) {
    let analytic = f(x).pullback(1)
    for i in 0..<x.scalarCount {
      var plus = x, minus = x
      plus[flat: i] += h
      minus[flat: i] -= h
      let numeric = (f(plus).value - f(minus).value) / (2 * h)
      #expect(abs(numeric - analytic[flat: i]) <= 1e-6 * max(1, abs(numeric)),
              "\(name): ∂/∂x[\(i)] numeric \(numeric) vs pullback \(analytic[flat: i])")
    }
  }

  @Test func elementwiseBinaryPrimitives() {
    var random = SplitMix64(seed: 101)
    for _ in 0..<Self.trials {
      let shape = [random.int(in: 1...4), random.int(in: 1...4)]
      let a: Tensor<Double> = random.tensor(shape), b: Tensor<Double> = random.tensor(shape)
      checkBinary("add", a, b, seed: random.next(), Pullbacks.add)
      checkBinary("subtract", a, b, seed: random.next(), Pullbacks.subtract)
      checkBinary("multiply", a, b, seed: random.next(), Pullbacks.multiply)
    }
  }

  @Test func biasBroadcastAndScalarAdd() {
    var random = SplitMix64(seed: 102)
    for _ in 0..<Self.trials {
      let rows = random.int(in: 1...4), columns = random.int(in: 1...4)
      let a: Tensor<Double> = random.tensor([rows, columns])
      checkBinary("add (bias)", a, random.tensor([columns]), seed: random.next(), Pullbacks.add)
      checkBinary("add (rank 0)", a, random.tensor([]), seed: random.next(), Pullbacks.add)
    }
  }

  @Test func matrixProducts() {
    var random = SplitMix64(seed: 103)
    for _ in 0..<Self.trials {
      let m = random.int(in: 1...4), k = random.int(in: 1...4), n = random.int(in: 1...4)
      checkBinary("matvec", random.tensor([m, k]), random.tensor([k]), seed: random.next(), Pullbacks.matvec)
      checkBinary("matmul", random.tensor([m, k]), random.tensor([k, n]), seed: random.next(), Pullbacks.matmul)
      checkUnary("transposed", random.tensor([m, k]), seed: random.next(), Pullbacks.transposed)
    }
  }

  @Test func activations() {
    var random = SplitMix64(seed: 104)
    for _ in 0..<Self.trials {
      let shape = [random.int(in: 1...3), random.int(in: 1...5)]
      var x: Tensor<Double> = random.tensor(shape, scale: 2)
      // Keep relu's kink away from the finite-difference stencil.
      x = x.map { abs($0) < 1e-3 ? 0.5 : $0 }
      checkUnary("square", x, seed: random.next(), Pullbacks.square)
      checkUnary("sigmoid", x, seed: random.next(), Pullbacks.sigmoid)
      checkUnary("tanh", x, seed: random.next(), Pullbacks.tanh)
      checkUnary("relu", x, seed: random.next(), Pullbacks.relu)
      checkUnary("softmax (rows)", x, seed: random.next(), Pullbacks.softmax)
      checkUnary("softmax (vector)", x.reshaped(to: [x.scalarCount]), seed: random.next(), Pullbacks.softmax)
    }
  }

  @Test func reductionsAndLosses() {
    var random = SplitMix64(seed: 105)
    for _ in 0..<Self.trials {
      let rows = random.int(in: 1...4), classes = random.int(in: 2...5)
      let x: Tensor<Double> = random.tensor([rows, classes])
      checkReduction("sum", x, Pullbacks.sum)
      checkReduction("mean", x, Pullbacks.mean)
      checkReduction("sumOfSquares", x, Pullbacks.sumOfSquares)
      let labels = (0..<rows).map { _ in random.int(in: 0...(classes - 1)) }
      checkReduction("softmaxCrossEntropy", x) { Pullbacks.softmaxCrossEntropy(logits: $0, labels: labels) }
    }
  }

  @Test func crossEntropyOfUniformLogitsIsLogClasses() {
    let logits = Tensor<Double>.zeros([3, 4])
    let (loss, _) = Pullbacks.softmaxCrossEntropy(logits: logits, labels: [0, 1, 3])
    #expect(abs(loss - Double.log(4)) < 1e-15)
  }
}
