// The model, its loss and the training loop the three clients share.
import Optimisers

public struct Model: Parameterised {
  public typealias Scalar = Float
  public var weight: Tensor<Float>
  public var bias: Tensor<Float>
  public static let parameters = ParameterList<Model>(\.weight, \.bias)

  public init(weight: Tensor<Float>, bias: Tensor<Float>) {
    self.weight = weight
    self.bias = bias
  }
}

/// ½ Σ (W x + b − y)² with its pullback.
public func loss(_ m: Model, _ x: Tensor<Float>, _ y: Tensor<Float>) -> (value: Float, pullback: (Float) -> Tangent<Model>) {
  let (wx, matvecBack) = Pullbacks.matvec(m.weight, x)
  let (affine, addBack) = Pullbacks.add(wx, m.bias)
  let (residual, _) = Pullbacks.subtract(affine, y)
  let (squares, squaresBack) = Pullbacks.sumOfSquares(residual)
  return (squares / 2, { seed in
    let (dWx, dBias) = addBack(squaresBack(seed / 2))
    var gradient = m.zeroTangentVector
    gradient[\.weight] = matvecBack(dWx).0
    gradient[\.bias] = dBias
    return gradient
  })
}

/// The warm-up, constant and cosine parts, as a configuration file would hold them.
public let configuration = """
  {"kind": "joined", "boundaries": [20, 50], "parts": [
    {"kind": "linearSchedule", "initial": 0, "end": 0.01, "transitionSteps": 20, "transitionBegin": 0},
    {"kind": "constant", "value": 0.01},
    {"kind": "cosineDecay", "initial": 0.01, "decaySteps": 100, "alpha": 0.01, "exponent": 1}]}
  """

/// Trains a fresh model for 150 steps and prints the final loss.
@inlinable
public func train<O: Optimiser>(_ name: String, _ optimiser: O) where O.Params == Model {
  let x = Tensor<Float>(randomUniform: [16], seed: 3)
  let y = Tensor<Float>(randomUniform: [8], seed: 4)
  var model = Model(weight: Tensor(randomNormal: [8, 16], seed: 1), bias: Tensor(randomNormal: [8], seed: 2))
  var state = optimiser.initialState(for: model)
  for _ in 0..<150 {
    let (_, gradient) = valueWithGradient(at: model) { loss($0, x, y) }
    (state, model) = optimiser.update(consume state, consume model, gradient)
  }
  print(name, loss(model, x, y).value)
}
