import Optimisers

/// A test problem: a loss with its gradient, a starting point and a budget.
protocol TourProblem {
  associatedtype Params: Differentiable where Params.TangentVector.Scalar == Double

  /// A short name for tables, plots and `--problems`.
  var name: String { get }
  /// One line saying what is being minimised.
  var summary: String { get }
  /// Where every run starts.
  var initial: Params { get }
  /// Updates per run.
  var steps: Int { get }
  /// A run has converged once its loss is at most this.
  var tolerance: Double { get }
  /// The learning rates tried for each rule; the best is kept.
  var learningRates: [Double] { get }

  /// The loss at `params` and its gradient.
  func lossAndGradient(at params: Params) -> (loss: Double, gradient: Params.TangentVector)
  /// A point to draw on the contour plot, for two-dimensional problems.
  func position(of params: Params) -> (x: Double, y: Double)?
  /// Anything else worth reporting about trained parameters (an accuracy).
  func remark(on params: Params) -> String?
}

extension TourProblem {
  func position(of params: Params) -> (x: Double, y: Double)? { nil }
  func remark(on params: Params) -> String? { nil }
}

/// The learning rates tried on the small analytic problems.
let wideGrid: [Double] = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1]

// MARK: - Rosenbrock

/// Rosenbrock's banana valley, f(x, y) = (1 − x)² + 100 (y − x²)², from (−1.2, 1);
/// the minimum is f(1, 1) = 0.
struct Rosenbrock: TourProblem {
  let name = "Rosenbrock"
  let summary = "f(x, y) = (1 − x)² + 100(y − x²)² from (−1.2, 1); minimum 0 at (1, 1)"
  let initial = Tensor<Double>([-1.2, 1])
  let steps = 2000
  let tolerance = 1e-4
  let learningRates = wideGrid

  static func value(_ x: Double, _ y: Double) -> Double {
    (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
  }

  func lossAndGradient(at p: Tensor<Double>) -> (loss: Double, gradient: Tensor<Double>) {
    let x = p[flat: 0], y = p[flat: 1]
    let dx = -2 * (1 - x) - 400 * x * (y - x * x)
    let dy = 200 * (y - x * x)
    return (Rosenbrock.value(x, y), Tensor([dx, dy]))
  }

  func position(of p: Tensor<Double>) -> (x: Double, y: Double)? { (p[flat: 0], p[flat: 1]) }
}

// MARK: - Beale

/// Beale's function, with steep walls and a flat floor; minimum 0 at (3, 0.5).
struct Beale: TourProblem {
  let name = "Beale"
  let summary = "f(x, y) = Σᵢ (cᵢ − x + x yⁱ)², c = (1.5, 2.25, 2.625), from (1, 1.5); minimum 0 at (3, 0.5)"
  let initial = Tensor<Double>([1, 1.5])
  let steps = 2000
  let tolerance = 1e-6
  let learningRates = wideGrid

  func lossAndGradient(at p: Tensor<Double>) -> (loss: Double, gradient: Tensor<Double>) {
    let x = p[flat: 0], y = p[flat: 1]
    let constants = [1.5, 2.25, 2.625]
    var loss = 0.0, dx = 0.0, dy = 0.0
    var yPower = 1.0  // y^(i−1)
    for (index, c) in constants.enumerated() {
      let i = Double(index + 1)
      let term = c - x + x * yPower * y
      loss += term * term
      dx += 2 * term * (yPower * y - 1)
      dy += 2 * term * x * i * yPower
      yPower *= y
    }
    return (loss, Tensor([dx, dy]))
  }
}

// MARK: - Ill-conditioned quadratic

/// A quadratic bowl whose curvatures span four orders of magnitude:
/// f(x) = ½ Σᵢ λᵢ xᵢ², λ log-spaced from 1 to 10⁴, from a seeded start near 1.
struct IllConditionedQuadratic: TourProblem {
  let name = "Quadratic"
  let summary = "f(x) = ½ Σ λᵢ xᵢ², 20 dimensions, λ log-spaced in [1, 10⁴] (condition number 10⁴), from xᵢ ∈ [0.5, 1.5)"
  let curvatures: Tensor<Double>
  let initial: Tensor<Double>
  let steps = 1000
  let tolerance = 1e-6
  let learningRates = wideGrid

  init(dimension: Int = 20) {
    curvatures = Tensor((0..<dimension).map { i in
      Double.exp(Double(i) / Double(dimension - 1) * Double.log(1e4))
    })
    initial = Tensor(randomUniform: [dimension], seed: 31, lowerBound: 0.5, upperBound: 1.5)
  }

  func lossAndGradient(at p: Tensor<Double>) -> (loss: Double, gradient: Tensor<Double>) {
    let gradient = curvatures * p
    return (0.5 * gradient.dot(p), gradient)
  }
}

// MARK: - The seed's linear regression

/// The seed's model: an affine map W x + b.
struct Affine: Parameterised {
  typealias Scalar = Double
  var weight: Tensor<Double>
  var bias: Tensor<Double>
  static let parameters = ParameterList<Affine>(\.weight, \.bias)
}

/// The seed's regression: fit W (2 × 5) and b (2) so that W x + b = y, with the
/// squared error Σ (W x + b − y)².
struct Regression: TourProblem {
  let name = "Regression"
  let summary = "the seed's W x + b ≈ y, W: 2 × 5, loss Σ (W x + b − y)², seeded data"
  let initial = Affine(weight: Tensor(randomNormal: [2, 5], seed: 1), bias: Tensor(randomNormal: [2], seed: 2))
  let x = Tensor<Double>(randomUniform: [5], seed: 3)
  let y = Tensor<Double>(randomUniform: [2], seed: 4)
  let steps = 200
  let tolerance = 1e-8
  let learningRates = [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3]

  func lossAndGradient(at model: Affine) -> (loss: Double, gradient: Tangent<Affine>) {
    let (wx, matvecBack) = Pullbacks.matvec(model.weight, x)
    let (prediction, addBack) = Pullbacks.add(wx, model.bias)
    let (residual, _) = Pullbacks.subtract(prediction, y)
    let (loss, squaresBack) = Pullbacks.sumOfSquares(residual)
    let (dPrediction, dBias) = addBack(squaresBack(1))
    var gradient = model.zeroTangentVector
    gradient[\.weight] = matvecBack(dPrediction).0
    gradient[\.bias] = dBias
    return (loss, gradient)
  }
}

// MARK: - The seed's classifier

/// A fully connected layer, y = W x + b, with W stored as [out, in].
struct Dense: Parameterised {
  typealias Scalar = Double
  var weight: Tensor<Double>
  var bias: Tensor<Double>
  static let parameters = ParameterList<Dense>(\.weight, \.bias)

  /// Weights drawn from N(0, 1/in), biases zero.
  init(_ inputs: Int, _ outputs: Int, seed: UInt64) {
    weight = Tensor(randomNormal: [outputs, inputs], seed: seed,
                    standardDeviation: 1 / Double(inputs).squareRoot())
    bias = Tensor.zeros([outputs])
  }
}

/// The seed's `Chain(Dense(10, 5, σ), Dense(5, 2), softmax)`.
struct Classifier: Parameterised {
  typealias Scalar = Double
  var hidden = Dense(10, 5, seed: 11)
  var output = Dense(5, 2, seed: 12)
  static let parameters = ParameterList<Classifier>(\.hidden, \.output)

  /// The logits for a batch `inputs` of shape [batch, 10], with the pullback to
  /// the parameters.
  func logits(_ inputs: Tensor<Double>) -> (value: Tensor<Double>, pullback: (Tensor<Double>) -> Tangent<Classifier>) {
    let (w1t, w1Back) = Pullbacks.transposed(hidden.weight)
    let (z1, z1Back) = Pullbacks.matmul(inputs, w1t)
    let (a1, a1Back) = Pullbacks.add(z1, hidden.bias)
    let (h, hBack) = Pullbacks.sigmoid(a1)
    let (w2t, w2Back) = Pullbacks.transposed(output.weight)
    let (z2, z2Back) = Pullbacks.matmul(h, w2t)
    let (logits, logitsBack) = Pullbacks.add(z2, output.bias)
    return (logits, { [self] seed in
      var gradient = self.zeroTangentVector
      let (dZ2, dB2) = logitsBack(seed)
      let (dH, dW2t) = z2Back(dZ2)
      gradient[\.output.weight] = w2Back(dW2t)
      gradient[\.output.bias] = dB2
      let (dZ1, dB1) = a1Back(hBack(dH))
      gradient[\.hidden.weight] = w1Back(z1Back(dZ1).1)
      gradient[\.hidden.bias] = dB1
      return gradient
    })
  }
}

/// The seed's classifier trained with softmax cross-entropy on a seeded,
/// linearly separable two-class set of 160 points in ℝ¹⁰.
struct Classification: TourProblem {
  let name = "Classifier"
  let summary = "the seed's Chain(Dense(10, 5, σ), Dense(5, 2), softmax), cross-entropy, 160 seeded points, full batch"
  let initial = Classifier()
  let inputs: Tensor<Double>
  let labels: [Int]
  let steps = 200
  let tolerance = 0.05
  let learningRates = [1e-2, 0.1, 1]

  init(count: Int = 160) {
    let inputs = Tensor<Double>(randomNormal: [count, 10], seed: 21)
    let direction = Tensor<Double>(randomNormal: [10], seed: 22)
    self.inputs = inputs
    labels = (0..<count).map { row in
      var score = 0.0
      for j in 0..<10 { score += inputs[row, j] * direction[flat: j] }
      return score > 0 ? 1 : 0
    }
  }

  func lossAndGradient(at model: Classifier) -> (loss: Double, gradient: Tangent<Classifier>) {
    let (logits, logitsBack) = model.logits(inputs)
    let (loss, lossBack) = Pullbacks.softmaxCrossEntropy(logits: logits, labels: labels)
    return (loss, logitsBack(lossBack(1)))
  }

  /// The fraction of points classified correctly.
  func accuracy(of model: Classifier) -> Double {
    let logits = model.logits(inputs).value
    var correct = 0
    for (row, label) in labels.enumerated() {
      let predicted = logits[row, 1] > logits[row, 0] ? 1 : 0
      if predicted == label { correct += 1 }
    }
    return Double(correct) / Double(labels.count)
  }

  func remark(on model: Classifier) -> String? {
    let percent = (accuracy(of: model) * 1000).rounded() / 10
    return "accuracy \(percent)%"
  }
}
