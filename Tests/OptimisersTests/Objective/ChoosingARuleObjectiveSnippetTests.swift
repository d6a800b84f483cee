import Optimisers
import Testing

// ChoosingARule.md, "When the step may call the objective": the snippets,
// verbatim, on the seed's regression.
@Suite struct ChoosingARuleObjectiveSnippetTests {
  @Test func lbfgsAndSharpnessAwareSnippets() throws {
    var model = Affine(weight: Tensor(randomNormal: [2, 5], seed: 1), bias: Tensor(randomNormal: [2], seed: 2))
    let x = Tensor<Double>(randomUniform: [5], seed: 3), y = Tensor<Double>(randomUniform: [2], seed: 4)
    let before = squaredErrorLoss(model, x, y).value
    let lbfgs = LBFGS<Affine>(historySize: 10, lineSearch: .strongWolfe())
    var lbfgsState = lbfgs.initialState(for: model)
    let report = try lbfgs.step(&lbfgsState, &model) { m in
      valueWithGradient(at: m) { squaredErrorLoss($0, x, y) }
    }
    print(report.iterations, report.evaluations, report.stopReason)
    let fitted = squaredErrorLoss(model, x, y).value
    #expect(fitted < 1e-8 * before, "L-BFGS fits the underdetermined regression: \(before) → \(fitted)")
    #expect(report.evaluations >= report.iterations && report.iterations > 0)

    let sam = SharpnessAware(Adam<Affine>(learningRate: 0.01), radius: 0.05)
    var samState = sam.initialState(for: model)
    try sam.step(&samState, &model) { m in valueWithGradient(at: m) { squaredErrorLoss($0, x, y) } }
    #expect(samState.step == 1)
    #expect(squaredErrorLoss(model, x, y).value.isFinite)
  }
}
