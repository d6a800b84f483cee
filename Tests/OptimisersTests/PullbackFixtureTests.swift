import Foundation
import Optimisers
import Testing

/// The model pullbacks against PyTorch: values and vector–Jacobian products
/// from `Tests/Fixtures/pullbacks.json` (written by
/// `generate_pullback_fixtures.py`, float64).
@Suite struct PullbackFixtureTests {
  struct Array64: Decodable {
    var shape: [Int]
    var data: [Double]
    var tensor: Tensor<Double> { Tensor(shape: shape, scalars: data) }
  }
  struct Case: Decodable {
    var name: String
    var reference: String
    var inputs: [String: Array64]
    var extra: [String: [Int]]
    var cotangent: Array64
    var value: Array64
    var gradients: [String: Array64]
  }
  struct Document: Decodable { var cases: [Case] }

  static let cases: [String: Case] = {
    let document = try! Fixtures.load(Document.self, from: "pullbacks.json")
    return Dictionary(uniqueKeysWithValues: document.cases.map { ($0.name, $0) })
  }()

  func expectClose(_ swift: Tensor<Double>, _ torch: Array64, _ what: String, tolerance: Double = 1e-12,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(swift.shape == torch.shape, "\(what): shape \(swift.shape) vs torch \(torch.shape)", sourceLocation: sourceLocation)
    let worst = zip(swift.scalars, torch.data).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    #expect(worst <= tolerance, "\(what): largest difference from torch \(worst)", sourceLocation: sourceLocation)
  }

  /// Checks a primitive with one differentiable input.
  func checkUnary(_ name: String, input: String = "x",
                  _ f: (Tensor<Double>) -> (value: Tensor<Double>, pullback: (Tensor<Double>) -> Tensor<Double>)) throws {
    let c = try #require(Self.cases[name])
    let (value, pullback) = f(c.inputs[input]!.tensor)
    expectClose(value, c.value, "\(c.reference) value")
    expectClose(pullback(c.cotangent.tensor), c.gradients[input]!, "\(c.reference) gradient")
  }

  @Test func activationsAndLogSoftmax() throws {
    try checkUnary("logSoftmax", Pullbacks.logSoftmax)
    try checkUnary("gelu", Pullbacks.gelu)
    try checkUnary("leakyReLU") { Pullbacks.leakyReLU($0, negativeSlope: 0.2) }
    let labels = try #require(Self.cases["embedding"]?.extra["indices"])
    try checkUnary("embedding", input: "table") { Pullbacks.embedding($0, indices: labels) }
  }

  @Test func losses() throws {
    let nll = try #require(Self.cases["negativeLogLikelihood"])
    let (value, pullback) = Pullbacks.negativeLogLikelihood(logProbabilities: nll.inputs["x"]!.tensor,
                                                             labels: nll.extra["labels"]!)
    #expect(abs(value - nll.value.data[0]) <= 1e-14)
    expectClose(pullback(nll.cotangent.data[0]), nll.gradients["x"]!, nll.reference)
    let mse = try #require(Self.cases["meanSquaredError"])
    let (error, errorBack) = Pullbacks.meanSquaredError(mse.inputs["a"]!.tensor, mse.inputs["b"]!.tensor)
    #expect(abs(error - mse.value.data[0]) <= 1e-14)
    let (da, db) = errorBack(mse.cotangent.data[0])
    expectClose(da, mse.gradients["a"]!, mse.reference + " ∂a")
    expectClose(db, mse.gradients["b"]!, mse.reference + " ∂b")
  }

  @Test func layerNormalisation() throws {
    let c = try #require(Self.cases["layerNormalisation"])
    let (value, pullback) = Pullbacks.layerNormalisation(
      c.inputs["x"]!.tensor, scale: c.inputs["scale"]!.tensor, offset: c.inputs["offset"]!.tensor)
    expectClose(value, c.value, c.reference)
    let (dx, dScale, dOffset) = pullback(c.cotangent.tensor)
    expectClose(dx, c.gradients["x"]!, c.reference + " ∂x")
    expectClose(dScale, c.gradients["scale"]!, c.reference + " ∂scale")
    expectClose(dOffset, c.gradients["offset"]!, c.reference + " ∂offset")
  }
}
