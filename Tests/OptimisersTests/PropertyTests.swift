import OptimiserLaws
import Optimisers
import Testing

/// SGD that forgets its learning rate from the second step on: a user's broken
/// rule, for the shrinking tests.
struct ForgetsRateAfterOneStep<Params: Differentiable>: Optimiser {
  struct State: Codable, Sendable { var step = 0 }
  var learningRate = 0.5
  func initialState(for params: Params) -> State { State() }
  func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    state.step += 1
    let rate = S(state.step > 1 ? 1 : learningRate)
    LeafWalk.forEachWholeLeaf(&params, gradient) { _, p, g in
      for i in 0..<p.count { p[i] -= rate * map.apply(g[i], parameter: p[i]) }
    }
  }
  func validate(_ state: State, for params: Params) throws(OptimiserError) {}
  func validateHyperparameters() throws(OptimiserError) {}
}

/// A user's schedule that leaves [0, 1] after step 700.
struct DriftingSchedule: Schedule {
  func callAsFunction(_ step: Int) -> Double { step < 700 ? 1 - Double(step) / 1000 : -0.25 }
}

@Suite struct PropertyTests {
  /// The property a user states for their rule: every step is p − η g.
  static func stepsArePlainSGD<O: Optimiser>(_ rule: O, rate: Double, _ sample: OptimiserCase<O.Params>) throws {
    var params = sample.parameters
    var state = rule.initialState(for: params)
    for (step, gradient) in sample.gradients.enumerated() {
      let before = params.flattenedParameters
      rule.update(&state, &params, gradient)
      let expected = zip(before, gradient.flattenedScalars).map { $0 - .init(rate) * $1 }
      try Property.require(
        params.flattenedParameters == expected,
        "step \(step + 1) gave \(params.flattenedParameters), p − η g is \(expected)")
    }
  }

  @Test func aBrokenRuleShrinksToTwoStepsAndOneScalar() throws {
    let generator = Generator.optimiserCase(parameters: .tensor(shape: [3, 4]) as ParameterGenerator<Tensor<Float>>, steps: 1...6)
    let report = Property.forAll(generator, name: "plain SGD") { sample in
      try Self.stepsArePlainSGD(ForgetsRateAfterOneStep<Tensor<Float>>(), rate: 0.5, sample)
    }
    let counterexample = try #require(report.counterexample, "\(report)")
    #expect(counterexample.steps == 2, "\(report)")
    #expect(counterexample.scalarCount <= 2, "\(report)")
    print(report)
  }
}
