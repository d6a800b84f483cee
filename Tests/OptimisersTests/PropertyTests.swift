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

  @Test func theFailingSeedReplaysTheSameCounterexampleAsTrialOne() throws {
    let generator = Generator.optimiserCase(parameters: .tensor(shape: [2, 3]) as ParameterGenerator<Tensor<Double>>, steps: 1...5)
    let broken = ForgetsRateAfterOneStep<Tensor<Double>>()
    let first = Property.forAll(generator, configuration: .init(seed: 99)) { try Self.stepsArePlainSGD(broken, rate: 0.5, $0) }
    let seed = try #require(first.failingSeed, "\(first)")
    let again = Property.forAll(generator, configuration: .init(seed: seed)) { try Self.stepsArePlainSGD(broken, rate: 0.5, $0) }
    #expect(again.trialsRun == 1)
    #expect(again.counterexample?.description == first.counterexample?.description)
    #expect(first.reproduction == "PropertyConfiguration(seed: 0x\(String(seed, radix: 16, uppercase: true)))")
    #expect("\(first)".contains(first.reproduction ?? "missing"))
  }

  @Test func hyperparametersShrinkToRoundNumbersInTheirRange() throws {
    let report = Property.forAll(.hyperparameter(in: 1e-4...0.1)) { rate in
      try Property.require(rate < 0.0123, "rate \(rate) too large")
    }
    let rate = try #require(report.counterexample, "\(report)")
    #expect([0.1, 0.02, 0.05, 0.03, 0.04].contains(rate), "\(report)")
  }

  @Test func integersShrinkToTheSmallestFailingValueThroughMapAndZip() throws {
    let pairs = Generator.zip(Generator.int(in: -1000...1000), Generator.int(in: 0...50).map { $0 * 2 })
    let report = Property.forAll(pairs) { a, b in try Property.require(a < 37 || b < 10, "\(a), \(b)") }
    let (a, b) = try #require(report.counterexample, "\(report)")
    #expect(a == 37 && b == 10, "\(report)")
  }

  @Test func filtersAreBoundedAndAnImpossibleFilterGivesUp() throws {
    let impossible = Property.forAll(Generator.int(in: 0...100).filter(maximumRejections: 5) { $0 > 1000 }) { _ in }
    #expect(impossible.gaveUp && !impossible.passed)
    #expect(impossible.discarded == impossible.configuration.maximumDiscarded + 1)
    let evens = Property.forAll(Generator.int(in: 0...1000).filter { $0 % 2 == 0 }) { n in
      try Property.require(n < 101, "\(n)")
    }
    #expect(evens.counterexample == 102, "\(evens)")
  }

  @Test func listsShrinkToFewerElementsAndFlatMapRegenerates() throws {
    let lists = Generator.int(in: 1...6).flatMap { n in Generator.normal().array(count: n...n) }
    let report = Property.forAll(lists) { xs in try Property.require(xs.count < 3 || xs.allSatisfy { $0 < 5 }, "\(xs)") }
    let xs = try #require(report.counterexample, "\(report)")
    #expect(xs.count == 3 && xs.filter { $0 != 0 } == [5], "\(report)")
  }
}
