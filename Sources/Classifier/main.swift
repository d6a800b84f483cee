// The seed's classifier, Chain(Dense(10, 5, σ), Dense(5, 2), softmax), trained
// with cross-entropy on a seeded synthetic two-class set.
// Run with `swift run classifier`.
import CommandLineSupport
import Optimisers

CommandLineHelp.handleNoArguments(program: "classifier", usage: """
  usage: classifier

  Trains the seed's classifier, Chain(Dense(10, 5, σ), Dense(5, 2), softmax),
  with Adam and cross-entropy on two seeded Gaussian blobs (400 training and 400
  test points), prints the loss and accuracies every 25 epochs, and fails if the
  test accuracy ends below 95 %. Takes no options.

    -h, --help   show this help

  """)

/// A fully connected layer, y = activation(x Wᵀ + b), over a batch of rows.
struct Dense: Parameterised {
  typealias Scalar = Double

  /// The elementwise nonlinearity: a plain field, not a parameter.
  enum Activation { case identity, sigmoid }

  var weight: Tensor<Double>
  var bias: Tensor<Double>
  var activation: Activation

  static let parameters = ParameterList<Dense>(\.weight, \.bias)

  init(_ inputs: Int, _ outputs: Int, _ activation: Activation = .identity, seed: UInt64) {
    let scale = 1 / Double(inputs).squareRoot()
    weight = Tensor(randomNormal: [outputs, inputs], seed: seed, standardDeviation: scale)
    bias = .zeros([outputs])
    self.activation = activation
  }

  /// The layer's output for a `[batch, inputs]` matrix, and the pullback that
  /// maps ∂L/∂output to (∂L/∂layer, ∂L/∂input).
  func callAsFunction(_ x: Tensor<Double>) -> (value: Tensor<Double>, pullback: (Tensor<Double>) -> (Tangent<Dense>, Tensor<Double>)) {
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

/// The seed's `Chain(Dense(10, 5, σ), Dense(5, 2), softmax)`: two layers whose
/// parameters are gathered by listing the two fields once.
struct LayerChain: Parameterised {
  typealias Scalar = Double
  var hidden = Dense(10, 5, .sigmoid, seed: 11)
  var output = Dense(5, 2, seed: 12)
  static let parameters = ParameterList<LayerChain>(\.hidden, \.output)

  /// Class probabilities (the chain's final softmax).
  func probabilities(_ x: Tensor<Double>) -> Tensor<Double> {
    Pullbacks.softmax(output(hidden(x).value).value).value
  }

  /// Mean cross-entropy of softmax(logits) against the labels, with its pullback.
  func loss(_ x: Tensor<Double>, _ labels: [Int]) -> (value: Double, pullback: (Double) -> Tangent<LayerChain>) {
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

/// Two Gaussian blobs in ten dimensions, centred at ±0.6 on every axis.
func twoBlobs(count: Int, seed: UInt64) -> (x: Tensor<Double>, labels: [Int]) {
  var generator = SplitMix64(seed: seed)
  var scalars: [Double] = []
  var labels: [Int] = []
  for _ in 0..<count {
    let label = Int(generator.next() % 2)
    let centre = label == 0 ? -0.6 : 0.6
    for _ in 0..<10 { scalars.append(centre + generator.nextStandardNormal()) }
    labels.append(label)
  }
  return (Tensor(shape: [count, 10], scalars: scalars), labels)
}

func accuracy(_ model: LayerChain, _ data: (x: Tensor<Double>, labels: [Int])) -> Double {
  let p = model.probabilities(data.x)
  var correct = 0
  for (row, label) in data.labels.enumerated() where (p[row, 1] > p[row, 0] ? 1 : 0) == label { correct += 1 }
  return Double(correct) / Double(data.labels.count)
}

/// Trains the chain with Adam on the full batch and returns it.
func train(on training: (x: Tensor<Double>, labels: [Int]), testingOn test: (x: Tensor<Double>, labels: [Int])) -> LayerChain {
  var model = LayerChain()
  let optimiser = Adam<LayerChain>(learningRate: 0.05)
  var state = optimiser.initialState(for: model)
  print("epoch    loss     train    test")
  for epoch in 0...150 {
    let (loss, gradient) = valueWithGradient(at: model) { $0.loss(training.x, training.labels) }
    if epoch % 25 == 0 {
      let line = [String(epoch), String(loss.description.prefix(7)),
                  "\(Int((accuracy(model, training) * 100).rounded()))%", "\(Int((accuracy(model, test) * 100).rounded()))%"]
      print(line.map { $0 + String(repeating: " ", count: max(0, 9 - $0.count)) }.joined())
    }
    // The pure update; `consume` hands the buffers over so they update in place.
    (state, model) = optimiser.update(consume state, consume model, gradient)
  }
  return model
}

let training = twoBlobs(count: 400, seed: 1)
let test = twoBlobs(count: 400, seed: 2)
let model = train(on: training, testingOn: test)
let final = accuracy(model, test)
print("test accuracy: \(final * 100)%")
precondition(final >= 0.95, "test accuracy \(final) is below the 95% this example promises")
