import Optimisers
import Testing

// The README's quick start, verbatim apart from the assertions, so it cannot rot.

struct Affine: Parameterised {
  typealias Scalar = Double
  var weight: Tensor<Double>
  var bias: Tensor<Double>
  static let parameters = ParameterList<Affine>(\.weight, \.bias)
}

func squaredErrorLoss(_ m: Affine, _ x: Tensor<Double>, _ y: Tensor<Double>)
  -> (value: Double, pullback: (Double) -> Tangent<Affine>)
{
  let (wx, matvecBack) = Pullbacks.matvec(m.weight, x)
  let (prediction, addBack) = Pullbacks.add(wx, m.bias)
  let (residual, _) = Pullbacks.subtract(prediction, y)
  let (loss, squaresBack) = Pullbacks.sumOfSquares(residual)
  return (loss, { seed in
    let (dPrediction, dBias) = addBack(squaresBack(seed))
    var gradient = m.zeroTangentVector
    gradient[\.weight] = matvecBack(dPrediction).0
    gradient[\.bias] = dBias
    return gradient
  })
}

@Suite struct QuickStartTests {
  @Test func readmeQuickStartTrainsTheSeedsRegression() {
    var model = Affine(weight: Tensor(randomNormal: [2, 5], seed: 1),
                       bias: Tensor(randomNormal: [2], seed: 2))
    let x = Tensor<Double>(randomUniform: [5], seed: 3), y = Tensor<Double>(randomUniform: [2], seed: 4)
    let opt = Adam<Affine>(learningRate: 0.1)            // or SGD, Momentum, Nesterov
    var state = opt.initialState(for: model)
    let initialLoss = squaredErrorLoss(model, x, y).value
    for _ in 0..<100 {
      let (_, grad) = valueWithGradient(at: model) { m in squaredErrorLoss(m, x, y) }
      (state, model) = opt.update(consume state, consume model, grad)   // pure, in place
    }
    let finalLoss = squaredErrorLoss(model, x, y).value
    #expect(finalLoss < initialLoss / 100, "loss went from \(initialLoss) to \(finalLoss)")
    #expect(state.step == 100)
  }

  @Test func everySeedRuleTrainsTheRegression() {
    func run<O: Optimiser>(_ opt: O) -> Double where O.Params == Affine {
      var model = Affine(weight: Tensor(randomNormal: [2, 5], seed: 1), bias: Tensor(randomNormal: [2], seed: 2))
      let x = Tensor<Double>(randomUniform: [5], seed: 3), y = Tensor<Double>(randomUniform: [2], seed: 4)
      var state = opt.initialState(for: model)
      for _ in 0..<100 {
        let (_, grad) = valueWithGradient(at: model) { squaredErrorLoss($0, x, y) }
        opt.update(&state, &model, grad)
      }
      return squaredErrorLoss(model, x, y).value
    }
    #expect(run(SGD<Affine>(learningRate: 0.1)) < 1e-6)
    #expect(run(SGD<Affine>(learningRate: 0.1, decay: 0.01)) < 1e-6)
    #expect(run(Momentum<Affine>()) < 1e-2)
    #expect(run(Nesterov<Affine>()) < 1e-2)
    #expect(run(Adam<Affine>(learningRate: 0.1)) < 1e-2)
  }
}
