import Optimisers

/// The seed's `Chain(Dense(10, 5, σ), Dense(5, 2), softmax)`: two layers whose
/// parameters are gathered by listing the two fields once.
public struct LayerChain: Parameterised {
  public typealias Scalar = Double
  public var hidden = Dense(10, 5, .sigmoid, seed: 11)
  public var output = Dense(5, 2, seed: 12)
  public static let parameters = ParameterList<LayerChain>(\.hidden, \.output)

  /// The chain with its seeded initial weights.
  public init() {}

  /// Class probabilities (the chain's final softmax).
  public func probabilities(_ x: Tensor<Double>) -> Tensor<Double> {
    Pullbacks.softmax(output(hidden(x).value).value).value
  }

  /// Mean cross-entropy of softmax(logits) against the labels, with its pullback.
  public func loss(_ x: Tensor<Double>, _ labels: [Int]) -> (value: Double, pullback: (Double) -> Tangent<LayerChain>) {
    let (h, hiddenBack) = hidden(x)
    let (logits, outputBack) = output(h)
    let (loss, lossBack) = Pullbacks.softmaxCrossEntropy(logits: logits, labels: labels)
    return (loss, { seed in
      let (dOutput, dh) = outputBack(lossBack(seed))
      let (dHidden, _) = hiddenBack(dh)
      var gradient = self.zeroTangentVector
      gradient[\.hidden] = dHidden
      gradient[\.output] = dOutput
      return gradient
    })
  }
}
