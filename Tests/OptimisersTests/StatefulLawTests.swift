import OptimiserLaws
import OptimiserLawsTesting
import Optimisers
import Testing

/// Random interleavings of update, checkpoint, save/restore, hyperparameter
/// adjustment, schedule change and skipped steps (`StatefulLaws`), against the
/// model run, for several rules; and a rule that loses state in its coding is
/// caught with the shortest sequence.
@Suite struct StatefulLawTests {
  typealias M = AffineModel<Float>
  static let layout = ParameterGenerator.model(M(weight: .zeros([2, 2]), bias: .zeros([2])))

  @Test func rulesSurviveRandomCommandSequences() {
    StatefulLaws.check(Adam<M>(), parameters: Self.layout, scheduling: \.learningRate, adjusting: (\.beta1, 0...0.99))
      .expectPassed()
    StatefulLaws.check(Momentum<M>(), parameters: Self.layout, scheduling: \.learningRate, adjusting: (\.momentum, 0...0.99))
      .expectPassed()
    StatefulLaws.check(Lion<M>(), parameters: Self.layout, scheduling: \.learningRate, adjusting: (\.weightDecay, 0...0.1))
      .expectPassed()
    StatefulLaws.check(Rprop<M>(), parameters: Self.layout, scheduling: \.learningRate, adjusting: (\.etaMinus, 0.1...0.9))
      .expectPassed()
    StatefulLaws.check(AdaGrad<M>(), parameters: Self.layout, scheduling: \.learningRate).expectPassed()
  }

  @Test func aRuleThatForgetsStateInItsCodingShrinksToThreeCommands() throws {
    let report = StatefulLaws.check(ForgetfulRule<M>(), parameters: Self.layout, scheduling: \.learningRate)
    let counterexample = try #require(report.counterexample, "\(report)")
    // update (the accumulator grows), checkpoint (it is lost), update (it shows).
    #expect(counterexample.commands.count == 3, "\(report)")
    #expect(counterexample.commands.contains(.checkpoint) || counterexample.commands.contains(.save), "\(report)")
  }
}
