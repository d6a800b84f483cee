import DigitsSupport
import Foundation
import Optimisers
import Testing

/// The digits network's loss and gradient against PyTorch's
/// `cross_entropy(linear(gelu(linear(x, W₁, b₁)), W₂, b₂), y)` on the first 16
/// images of the shipped file (`Tests/Fixtures/pullbacks.json`, float64).
@Suite struct DigitsNetworkFixtureTests {
  struct Array64: Decodable {
    var shape: [Int]
    var data: [Double]
  }
  struct Case: Decodable {
    var name: String
    var inputs: [String: Array64]
    var value: Array64
    var gradients: [String: Array64]
  }
  struct Document: Decodable { var cases: [Case] }

  @Test func lossAndGradientMatchTorch() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/pullbacks.json")
    let document = try JSONDecoder().decode(Document.self, from: Data(contentsOf: url))
    let c = try #require(document.cases.first { $0.name == "digitsNetwork" })
    let data = try DigitsDataset(contentsOfFile: DigitsDataset.bundledPath).subset(Array(0..<16))
    var model = DigitsNetwork(hidden: 64, seed: 1)
    func tensor(_ name: String) -> Tensor<Double> { Tensor(shape: c.inputs[name]!.shape, scalars: c.inputs[name]!.data) }
    model.hidden.weight = tensor("w1")
    model.hidden.bias = tensor("b1")
    model.output.weight = tensor("w2")
    model.output.bias = tensor("b2")
    let (loss, gradient) = valueWithGradient(at: model) { $0.loss(data.images, data.labels) }
    #expect(abs(loss - c.value.data[0]) <= 1e-13 * abs(c.value.data[0]), "loss \(loss) vs torch \(c.value.data[0])")
    let leaves: [(String, WritableKeyPath<DigitsNetwork, Tensor<Double>>)] =
      [("w1", \.hidden.weight), ("b1", \.hidden.bias), ("w2", \.output.weight), ("b2", \.output.bias)]
    for (name, path) in leaves {
      let ours = gradient[path].scalars, torch = c.gradients[name]!.data
      #expect(ours.count == torch.count)
      let worst = zip(ours, torch).map { abs($0 - $1) }.max() ?? .infinity
      #expect(worst <= 1e-13, "∂\(name): largest difference from torch \(worst)")
    }
  }
}
