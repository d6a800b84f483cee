import OptimiserLaws
import OptimiserLawsTesting
import Optimisers
import Testing

// The law-kit sections of WritingYourOwnRule.md and SchedulesGuide.md, verbatim
// (DocumentationSnippetTests checks that they appear here).

@Suite struct LawKitDocumentationTests {
  @Test func writingYourOwnRuleProperty() {
    let model = Affine(weight: .zeros([2, 5]), bias: .zeros([2]))
    let cases = Generator.zip(
      .optimiserCase(parameters: .model(model), steps: 1...1), .hyperparameter(in: 1e-4...0.1))
    let report = Property.forAll(cases, name: "the first step goes downhill") { sample, rate in
      let rule = TinyRMSProp<Affine>(learningRate: rate)
      var params = sample.parameters
      var state = rule.initialState(for: params)
      rule.update(&state, &params, sample.gradients[0])
      let before = sample.parameters.flattenedParameters, after = params.flattenedParameters
      for (i, g) in sample.gradients[0].flattenedScalars.enumerated() {
        try Property.require((after[i] - before[i]) * g <= 0, "coordinate \(i) moved along gradient \(g)")
      }
    }
    #expect(report.passed, "\(report)")

    let scaleFree = SemanticLaws.scaleInvariance(
      TinyRMSProp<Affine>(learningRate: 0.01, epsilon: 1e-300), parameters: .model(model))
    #expect(scaleFree.passed, "\(scaleFree)")
  }

  @Test(arguments: [0.001, 0.01, 0.1])
  func tinyRMSPropKeepsTheLaws(rate: Double) {
    let model = Affine(weight: .zeros([2, 5]), bias: .zeros([2]))
    OptimiserLaws.check(TinyRMSProp<Affine>(learningRate: rate), parameters: .model(model)).expectPassed()
    SemanticLaws.oddness(TinyRMSProp<Affine>(learningRate: rate), parameters: .model(model)).expectPassed()
  }

  @Test func schedulesGuideLaws() {
    let halving = Halving(initial: 0.1, every: 100)
    let laws = ScheduleLaws.check(halving, steps: 0...10_000, bounds: 0...0.1, monotonicity: .nonIncreasing)
    #expect(laws.passed, "\(laws)")
    #expect(ScheduleLaws.looped(halving.looped(period: 250)).passed)

    let ramps = Property.forAll(Generator.zip(.schedule(), .step(in: 1...500)), name: "warm-ups ramp") { schedule, steps in
      let warm = Warmup(schedule, steps: steps)
      try Property.require(warm(0) == 0, "starts at \(warm(0))")
      try Property.require(warm(steps) == schedule(0), "reaches \(warm(steps)), not \(schedule(0))")
    }
    #expect(ramps.passed, "\(ramps)")
  }
}
