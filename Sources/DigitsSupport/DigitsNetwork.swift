import Optimisers

/// The digits classifier: 64 pixels → `hidden` GELU units (with optional
/// dropout) → 10 logits, trained with the mean negative log-likelihood of
/// log-softmax (the cross-entropy of `torch.nn.CrossEntropyLoss`).
///
/// In PyTorch: `Sequential(Linear(64, h), GELU(), Dropout(p), Linear(h, 10))`
/// with `cross_entropy` (see `Benchmarks/digits_step_torch.py`).
public struct DigitsNetwork: Parameterised {
  public typealias Scalar = Double
  /// The first layer, 64 → hidden.
  public var hidden: DenseLayer
  /// The second layer, hidden → 10.
  public var output: DenseLayer
  /// The probability of dropping a hidden unit while training, in [0, 1); a
  /// plain field, not a parameter.
  public var dropout: Double

  public static let parameters = ParameterList<DigitsNetwork>(\.hidden, \.output)

  /// A freshly initialised network.
  ///
  /// - Parameters:
  ///   - hidden: The hidden width; default 64.
  ///   - dropout: The hidden dropout probability; default 0.
  ///   - seed: The initialisation seed.
  public init(hidden: Int = 64, dropout: Double = 0, seed: UInt64) {
    precondition(hidden >= 1, "DigitsNetwork: hidden width must be at least 1")
    precondition(dropout >= 0 && dropout < 1, "DigitsNetwork: dropout \(dropout) is not in [0, 1)")
    self.hidden = DenseLayer(DigitsDataset.pixelCount, hidden, seed: seed)
    self.output = DenseLayer(hidden, DigitsDataset.classCount, seed: seed &+ 2)
    self.dropout = dropout
  }

  /// The logits of a `[batch, 64]` matrix, without dropout (evaluation).
  public func logits(_ x: Tensor<Double>) -> Tensor<Double> {
    output(Pullbacks.gelu(hidden(x).value).value).value
  }

  /// The mean cross-entropy of a batch and the pullback to the parameters.
  ///
  /// - Parameters:
  ///   - x: A `[batch, 64]` matrix of images.
  ///   - labels: Their digits.
  ///   - dropoutSeed: The seed of this step's dropout mask (ignored when
  ///     ``dropout`` is 0); derive it from the step count so that a resumed run
  ///     draws the same masks.
  public func loss(
    _ x: Tensor<Double>, _ labels: [Int], dropoutSeed: UInt64 = 0
  ) -> (value: Double, pullback: (Double) -> Tangent<DigitsNetwork>) {
    let (z, hiddenBack) = hidden(x)
    let (a, activationBack) = Pullbacks.gelu(z)
    let (h, dropoutBack): (Tensor<Double>, (Tensor<Double>) -> Tensor<Double>) =
      dropout > 0 ? Pullbacks.dropout(a, probability: dropout, seed: dropoutSeed) : (a, { $0 })
    let (logits, outputBack) = output(h)
    let (logProbabilities, logSoftmaxBack) = Pullbacks.logSoftmax(logits)
    let (loss, lossBack) = Pullbacks.negativeLogLikelihood(logProbabilities: logProbabilities, labels: labels)
    return (loss, { seed in
      let (dOutput, dh) = outputBack(logSoftmaxBack(lossBack(seed)))
      let (dHidden, _) = hiddenBack(activationBack(dropoutBack(dh)))
      var gradient = self.zeroTangentVector
      gradient[\.hidden] = dHidden
      gradient[\.output] = dOutput
      return gradient
    })
  }

  /// The most likely digit of each row (the first on ties).
  public func predictions(_ x: Tensor<Double>) -> [Int] {
    let z = logits(x)
    return (0..<z.shape[0]).map { row in
      var best = 0
      for j in 1..<DigitsDataset.classCount where z[row, j] > z[row, best] { best = j }
      return best
    }
  }

  /// The fraction of `data` classified correctly.
  public func accuracy(on data: DigitsDataset) -> Double {
    guard data.count > 0 else { return 0 }
    let correct = zip(predictions(data.images), data.labels).filter { $0 == $1 }.count
    return Double(correct) / Double(data.count)
  }
}
