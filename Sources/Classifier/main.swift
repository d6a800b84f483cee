// The seed's classifier, Chain(Dense(10, 5, σ), Dense(5, 2), softmax), trained
// with cross-entropy on a seeded synthetic two-class set.
// Run with `swift run classifier`.
import ClassifierSupport
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
