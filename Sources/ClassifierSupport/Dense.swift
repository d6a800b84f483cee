import Optimisers

/// A fully connected layer, y = activation(x Wᵀ + b), over a batch of rows.
public struct Dense: Parameterised {
  public typealias Scalar = Double

  /// The elementwise nonlinearity: a plain field, not a parameter.
  public enum Activation: Sendable { case identity, sigmoid }

  public var weight: Tensor<Double>
  public var bias: Tensor<Double>
  public var activation: Activation

  public static let parameters = ParameterList<Dense>(\.weight, \.bias)

  public init(_ inputs: Int, _ outputs: Int, _ activation: Activation = .identity, seed: UInt64) {
    let scale = 1 / Double(inputs).squareRoot()
    weight = Tensor(randomNormal: [outputs, inputs], seed: seed, standardDeviation: scale)
    bias = .zeros([outputs])
    self.activation = activation
  }

  /// The layer's output for a `[batch, inputs]` matrix, and the pullback that
  /// maps ∂L/∂output to (∂L/∂layer, ∂L/∂input).
  public func callAsFunction(_ x: Tensor<Double>) -> (value: Tensor<Double>, pullback: (Tensor<Double>) -> (Tangent<Dense>, Tensor<Double>)) {
    let (wt, transposeBack) = Pullbacks.transposed(weight)
    let (xw, matmulBack) = Pullbacks.matmul(x, wt)
    let (z, addBack) = Pullbacks.add(xw, bias)
    let (y, activationBack): (Tensor<Double>, (Tensor<Double>) -> Tensor<Double>) =
      activation == .sigmoid ? Pullbacks.sigmoid(z) : (z, { $0 })
    return (y, { cotangent in
      let (dxw, dBias) = addBack(activationBack(cotangent))
      let (dx, dwt) = matmulBack(dxw)
      var gradient = self.zeroTangentVector
      gradient[\.weight] = transposeBack(dwt)
      gradient[\.bias] = dBias
      return (gradient, dx)
    })
  }
}
