import Foundation
import OptimiserLaws
import Optimisers
import Testing

/// The law kit catches deliberately broken rules, shrinks their
/// counterexamples, and passes correct ones.
@Suite struct OptimiserLawsTests {
  static func twoLeafModel<S: ParameterScalar>(_: S.Type) -> ParameterGenerator<AffineModel<S>> {
    .model(AffineModel(weight: .zeros([3, 4]), bias: .zeros([3])))
  }

  /// Every extent of every leaf is 1 (or the leaf is a scalar).
  static func isMinimalShape(_ example: Counterexample) -> Bool {
    example.leafShapes.allSatisfy { shape in shape.allSatisfy { $0 == 1 } }
  }

  /// Every value is one of the simplest values the shrinker tries.
  static func hasSimpleValues(_ example: Counterexample) -> Bool {
    let simple: Set<Double> = [0, 1, -1, 0.5, -0.5, 2, -2]
    let values = Array(example.parameters.joined()) + Array(example.gradients.joined().joined())
    return values.allSatisfy { simple.contains($0) }
  }

  @Test func articleExampleRunsAndPasses() {
    // The snippet in OptimiserLaws' documentation, verbatim but for `print`.
    typealias Rule = SignDescent<Tensor<Float>>
    let report = OptimiserLaws.check(
      Rule(learningRate: 0.01),
      parameters: .tensor(shape: [4, 3]),
      encode: { try Array(JSONEncoder().encode($0)) },
      decode: { try JSONDecoder().decode(Rule.State.self, from: Data($0)) })
    #expect(report.passed, "\(report)")
    #expect(report.checked == [.purity, .pureEqualsInPlace, .resumeExactness, .zeroGradientFixedPoint, .finiteOutputs])
    #expect(report.notApplicable == [.leafIndependence])
    #expect(report.description.hasPrefix("SignDescent<Tensor<Float>>: 5 laws × 16 trials, no violations"))
  }

  @Test func correctRuleOnATwoLeafModelPassesEveryLaw() {
    let report = OptimiserLaws.check(SignDescent<AffineModel<Double>>(learningRate: 0.1), parameters: Self.twoLeafModel(Double.self))
    #expect(report.passed, "\(report)")
    #expect(report.checked.count == Law.allCases.count)
  }

  @Test func impureRuleIsCaughtAndShrunk() {
    let report = OptimiserLaws.check(LeakyRule<Tensor<Double>>(), parameters: .tensor(shape: [5, 4]))
    let violation = report.violation(of: .purity)
    #expect(violation != nil, "\(report)")
    guard let violation else { return }
    #expect(violation.message.contains("input state"), "\(violation)")
    #expect(Self.isMinimalShape(violation.counterexample), "\(violation)")
    #expect(violation.counterexample.steps == 1, "\(violation)")
    #expect(Self.hasSimpleValues(violation.counterexample), "\(violation)")
    // One nonzero gradient element is what it takes; the parameter is irrelevant.
    #expect(violation.counterexample.parameters == [[0]])
    #expect(violation.counterexample.gradients == [[[1]]])
    // The law that the rule keeps is not reported.
    #expect(report.violation(of: .finiteOutputs) == nil)
  }

  @Test func nonResumableRuleIsCaughtAndShrunk() {
    for scalar in [Float.self, Double.self] as [any ParameterScalar.Type] {
      func run<S: ParameterScalar>(_: S.Type) {
        let report = OptimiserLaws.check(
          ForgetfulRule<Tensor<S>>(), parameters: .tensor(shape: [3, 3]), laws: [.resumeExactness, .purity])
        let violation = report.violation(of: .resumeExactness)
        #expect(violation != nil, "\(report)")
        #expect(report.violation(of: .purity) == nil, "\(report)")
        guard let violation else { return }
        // It takes two steps (save after the first), one element, all zeros.
        #expect(violation.counterexample.steps == 2, "\(violation)")
        #expect(Self.isMinimalShape(violation.counterexample), "\(violation)")
        #expect(violation.counterexample.parameters == [[0]], "\(violation)")
        #expect(violation.counterexample.gradients == [[[0]], [[0]]], "\(violation)")
        #expect(violation.message.contains("after step 1"), "\(violation)")
      }
      run(scalar)
    }
  }

  @Test func resumeUsesTheGivenCoder() {
    // JSON through Foundation: the same failure as through the binary default.
    typealias Rule = ForgetfulRule<Tensor<Double>>
    let report = OptimiserLaws.check(
      Rule(), parameters: .tensor(shape: [2]), laws: [.resumeExactness],
      encode: { try Array(JSONEncoder().encode($0)) },
      decode: { try JSONDecoder().decode(Rule.State.self, from: Data($0)) })
    #expect(report.violation(of: .resumeExactness) != nil)
    // A coder that throws is reported, not crashed on.
    struct Refused: Error {}
    let refusing = OptimiserLaws.check(
      SignDescent<Tensor<Double>>(learningRate: 0.1), parameters: .tensor(shape: [2]), laws: [.resumeExactness],
      encode: { _ in throw Refused() }, decode: { _ in throw Refused() })
    #expect(refusing.violation(of: .resumeExactness)?.message.contains("threw") == true)
  }

  @Test func leafCoupledRuleIsCaughtAndShrunk() {
    let report = OptimiserLaws.check(CoupledRule<AffineModel<Float>>(), parameters: Self.twoLeafModel(Float.self))
    let violation = report.violation(of: .leafIndependence)
    #expect(violation != nil, "\(report)")
    #expect(report.violations.map(\.law) == [.leafIndependence], "\(report)")
    guard let violation else { return }
    #expect(violation.counterexample.leafShapes == [[1, 1], [1]], "\(violation)")
    #expect(violation.counterexample.steps == 1, "\(violation)")
    #expect(Self.hasSimpleValues(violation.counterexample), "\(violation)")
    #expect(violation.message.contains("depends on the other leaves"))
    // Opting out of the law (as a global-norm transform must) clears the report.
    let optedOut = OptimiserLaws.check(
      CoupledRule<AffineModel<Float>>(), parameters: Self.twoLeafModel(Float.self),
      laws: Law.all.subtracting([.leafIndependence]))
    #expect(optedOut.passed, "\(optedOut)")
  }

  @Test func ruleThatMovesWithoutAGradientIsCaughtUnlessItOptsOut() {
    let report = OptimiserLaws.check(DecayingRule<Tensor<Double>>(), parameters: .tensor(shape: [4]))
    let violation = report.violation(of: .zeroGradientFixedPoint)
    #expect(violation != nil, "\(report)")
    guard let violation else { return }
    // The simplest parameter that decay moves is 1, on a single element.
    #expect(violation.counterexample.parameters == [[1]], "\(violation)")
    #expect(violation.counterexample.steps == 1, "\(violation)")
    let optedOut = OptimiserLaws.check(
      DecayingRule<Tensor<Double>>(), parameters: .tensor(shape: [4]),
      laws: Law.all.subtracting([.zeroGradientFixedPoint]))
    #expect(optedOut.passed, "\(optedOut)")
  }

  @Test func nonFiniteOutputIsCaughtWithTheSimplestValues() {
    var rule = DecayingRule<Double>()
    rule.divideByParameter = true
    let report = OptimiserLaws.check(rule, parameters: .scalar(), laws: [.finiteOutputs])
    let violation = report.violation(of: .finiteOutputs)
    #expect(violation != nil, "\(report)")
    guard let violation else { return }
    #expect(violation.counterexample.leafShapes == [[]])
    #expect(violation.counterexample.parameters == [[0]], "\(violation)")
    #expect(violation.counterexample.gradients == [[[0]]], "\(violation)")
    #expect(violation.original.scalarCount == 1)
  }

  @Test func sameSeedSameReportAndShrinkingIsBounded() {
    let configuration = LawConfiguration(seed: 7, trials: 4, maximumSteps: 3, maximumShrinkAttempts: 5)
    let a = OptimiserLaws.check(LeakyRule<Tensor<Double>>(), parameters: .tensor(shape: [6, 6]), configuration: configuration)
    let b = OptimiserLaws.check(LeakyRule<Tensor<Double>>(), parameters: .tensor(shape: [6, 6]), configuration: configuration)
    #expect(a.violations.map(\.counterexample) == b.violations.map(\.counterexample))
    #expect(a.violations.allSatisfy { $0.shrinkSteps <= 5 })
  }

  @Test func generatorThatBuildsOtherShapesIsReported() {
    let wrong = ParameterGenerator<Tensor<Double>>(leafShapes: [[3]]) { _ in .zeros([2]) }
    let report = OptimiserLaws.check(SignDescent<Tensor<Double>>(learningRate: 0.1), parameters: wrong)
    #expect(!report.passed)
    #expect(report.generatorProblem?.contains("shape [3]") == true, "\(report)")
  }

  @Test func shrinkerSubBlockKeepsTheLeadingCorner() {
    // Through the public surface: a 1-element counterexample drawn from a 3×4
    // leaf keeps element [0, 0] of some failing case; values stay exact Floats.
    let report = OptimiserLaws.check(
      LeakyRule<Tensor<Float>>(), parameters: .tensor(shape: [3, 4]), laws: [.purity],
      configuration: LawConfiguration(maximumShrinkAttempts: 0))
    let original = report.violation(of: .purity)?.original
    #expect(original != nil)
    if let original {
      #expect(original.parameters.joined().allSatisfy { Double(Float($0)) == $0 })
    }
  }
}
