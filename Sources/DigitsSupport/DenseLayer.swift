import Optimisers

/// A fully connected layer over a batch of rows, y = x Wᵀ + b, with W stored as
/// `[outputs, inputs]` as in `torch.nn.Linear`.
public struct DenseLayer: Parameterised {
  public typealias Scalar = Double
  /// W, `[outputs, inputs]`.
  public var weight: Tensor<Double>
  /// b, `[outputs]`.
  public var bias: Tensor<Double>

  public static let parameters = ParameterList<DenseLayer>(\.weight, \.bias)

  /// A layer with W drawn uniformly from [−1/√inputs, 1/√inputs) and b from the
  /// same range, the distribution of PyTorch's `nn.Linear` initialisation.
  ///
  /// - Parameters:
  ///   - inputs: The input width, ≥ 1.
  ///   - outputs: The output width, ≥ 1.
  ///   - seed: The seed of both draws (the bias uses `seed + 1`).
  public init(_ inputs: Int, _ outputs: Int, seed: UInt64) {
    let bound = 1 / Double(inputs).squareRoot()
    weight = Tensor(randomUniform: [outputs, inputs], seed: seed, lowerBound: -bound, upperBound: bound)
    bias = Tensor(randomUniform: [outputs], seed: seed &+ 1, lowerBound: -bound, upperBound: bound)
  }

  /// The layer's output for a `[batch, inputs]` matrix and the pullback from
  /// ∂L/∂y to (∂L/∂layer, ∂L/∂x).
  ///
  /// - Complexity: O(batch × inputs × outputs), three matrix products with the
  ///   pullback (``Pullbacks/linear(_:weight:bias:)``).
  public func callAsFunction(
    _ x: Tensor<Double>
  ) -> (value: Tensor<Double>, pullback: (Tensor<Double>) -> (Tangent<DenseLayer>, Tensor<Double>)) {
    let (y, linearBack) = Pullbacks.linear(x, weight: weight, bias: bias)
    return (y, { cotangent in
      let (dx, dWeight, dBias) = linearBack(cotangent)
      var gradient = self.zeroTangentVector
      gradient[\.weight] = dWeight
      gradient[\.bias] = dBias
      return (gradient, dx)
    })
  }
}
