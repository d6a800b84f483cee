import Optimisers

/// A small binary classification problem for the precision tests: logistic
/// regression on 400 points in 10 dimensions whose labels come from a fixed
/// hyperplane with 10% of them flipped, gradients computed in `Double` from the
/// weights' values whatever their scalar type.
struct LogisticProblem {
  let inputs: [[Double]]
  let labels: [Double]
  static let dimension = 10

  init(seed: UInt64 = 5) {
    var random = SplitMix64(seed: seed)
    let truth = (0..<Self.dimension).map { _ in random.nextStandardNormal() }
    var inputs: [[Double]] = [], labels: [Double] = []
    for _ in 0..<400 {
      let x = (0..<Self.dimension).map { _ in random.nextStandardNormal() }
      let positive = zip(x, truth).reduce(0) { $0 + $1.0 * $1.1 } > 0
      let flipped = random.nextUnitInterval() < 0.1
      inputs.append(x)
      labels.append(positive != flipped ? 1 : 0)
    }
    (self.inputs, self.labels) = (inputs, labels)
  }

  func gradient<S: ParameterScalar>(at weights: Tensor<S>) -> Tensor<S> {
    let w = weights.scalars.map { Double($0) }
    var g = [Double](repeating: 0, count: Self.dimension)
    for (x, y) in zip(inputs, labels) {
      let z = zip(x, w).reduce(0) { $0 + $1.0 * $1.1 }
      let residual = 1 / (1 + Double.exp(-z)) - y
      for j in 0..<Self.dimension { g[j] += residual * x[j] / Double(inputs.count) }
    }
    return Tensor(shape: [Self.dimension], scalars: g.map { S($0) })
  }

  func accuracy<S: ParameterScalar>(_ weights: Tensor<S>) -> Double {
    let w = weights.scalars.map { Double($0) }
    let correct = zip(inputs, labels).filter { x, y in (zip(x, w).reduce(0) { $0 + $1.0 * $1.1 } > 0) == (y == 1) }.count
    return Double(correct) / Double(inputs.count)
  }

  /// Trains from zero weights for `steps` full-batch steps and returns the accuracy.
  func train<S: ParameterScalar, O: Optimiser<Tensor<S>>>(_ optimiser: O, steps: Int = 300) -> Double {
    var weights = Tensor<S>(repeating: 0, shape: [Self.dimension])
    var state = optimiser.initialState(for: weights)
    for _ in 0..<steps { optimiser.update(&state, &weights, gradient(at: weights)) }
    return accuracy(weights)
  }
}
