import OptimiserLaws
import OptimiserLawsTesting
import Optimisers
import Testing

/// The Swift Testing bridge: a property, a law check and a schedule law each
/// as one `@Test`, parameterised over rules; failures become the test's issues.
@Suite struct OptimiserLawsTestingTests {
  static let rates = [0.001, 0.01, 0.1]

  @Test(arguments: rates) func userPropertyAsOneTest(rate: Double) {
    Property.forAll(.optimiserCase(parameters: .tensor(shape: [4]) as ParameterGenerator<Tensor<Double>>)) { sample in
      try PropertyTests.stepsArePlainSGD(SGD<Tensor<Double>>(learningRate: rate), rate: rate, sample)
    }.expectPassed()
  }

  @Test(arguments: rates) func lawCheckAsOneTest(rate: Double) {
    OptimiserLaws.check(Nesterov<Tensor<Float>>(learningRate: rate), parameters: .tensor(shape: [2, 3])).expectPassed()
  }

  @Test func failuresAreRecordedAsIssues() {
    withKnownIssue {
      Property.forAll(.int(in: 0...100)) { n in try Property.require(n < 10, "\(n) ≥ 10") }.expectPassed()
    } matching: { issue in
      "\(issue)".contains("Reproduce with PropertyConfiguration(seed:") && "\(issue)".contains("10 ≥ 10")
    }
    withKnownIssue {
      ScheduleLaws.check(DriftingSchedule(), bounds: 0...1).expectPassed()
    }
    withKnownIssue {
      OptimiserLaws.check(ForgetfulRule<Tensor<Float>>(), parameters: .tensor()).expectPassed()
    }
  }
}
