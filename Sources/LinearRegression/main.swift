// The seed's linear regression, W*x .+ b, trained by each of the four classic
// rules. Run with `swift run linear-regression`.
import CommandLineSupport
import Foundation
import Optimisers

CommandLineHelp.handleNoArguments(program: "linear-regression", usage: """
  usage: linear-regression

  Trains the seed's linear regression, W x + b ≈ y (W: 2×5, seeded inputs),
  for 100 steps with each of the seed's rules (SGD, SGD with decay, Momentum,
  Nesterov, Adam) and prints the loss every 20 steps and after the last one.
  Takes no options.

    -h, --help   show this help

  """)

/// The model: an affine map with a weight matrix and a bias vector.
struct Affine: Parameterised {
  typealias Scalar = Double
  var weight: Tensor<Double>
  var bias: Tensor<Double>
  static let parameters = ParameterList<Affine>(\.weight, \.bias)
}

/// Σ (Wx + b − y)², with its hand-written pullback.
func squaredErrorLoss(_ model: Affine, _ x: Tensor<Double>, _ y: Tensor<Double>)
  -> (value: Double, pullback: (Double) -> Tangent<Affine>)
{
  let (wx, matvecBack) = Pullbacks.matvec(model.weight, x)
  let (prediction, addBack) = Pullbacks.add(wx, model.bias)
  let (residual, _) = Pullbacks.subtract(prediction, y)
  let (loss, squaresBack) = Pullbacks.sumOfSquares(residual)
  return (loss, { seed in
    let (dPrediction, dBias) = addBack(squaresBack(seed))
    var gradient = model.zeroTangentVector
    gradient[\.weight] = matvecBack(dPrediction).0
    gradient[\.bias] = dBias
    return gradient
  })
}

/// Trains a fresh copy of the seed's model with `optimiser` and prints the loss.
func train<O: Optimiser>(_ name: String, _ optimiser: O, steps: Int = 100) where O.Params == Affine {
  var model = Affine(weight: Tensor(randomNormal: [2, 5], seed: 1), bias: Tensor(randomNormal: [2], seed: 2))
  let x = Tensor<Double>(randomUniform: [5], seed: 3)
  let y = Tensor<Double>(randomUniform: [2], seed: 4)
  var state = optimiser.initialState(for: model)
  var line = name.padding(12)
  for step in 0..<steps {
    let (loss, gradient) = valueWithGradient(at: model) { squaredErrorLoss($0, x, y) }
    if step % 20 == 0 { line += " \(format(loss))" }
    // The pure update, handing over the buffers so they are updated in place.
    (state, model) = optimiser.update(consume state, consume model, gradient)
  }
  line += " → \(format(squaredErrorLoss(model, x, y).value))"
  print(line)
}

func format(_ value: Double) -> String {
  String(format: "%-10.3e", value)
}

extension String {
  func padding(_ width: Int) -> String {
    padding(toLength: max(width, count), withPad: " ", startingAt: 0)
  }
}

print("loss at steps 0, 20, 40, 60, 80 → after 100 steps")
train("SGD", SGD<Affine>(learningRate: 0.1))
train("SGD+decay", SGD<Affine>(learningRate: 0.1, decay: 0.01))
train("Momentum", Momentum<Affine>(learningRate: 0.01))
train("Nesterov", Nesterov<Affine>(learningRate: 0.01))
train("Adam", Adam<Affine>(learningRate: 0.1))
