import Foundation
import Optimisers
import Testing

/// Bad input: clear, specific errors, never a silent wrong answer.
@Suite struct OptimiserTests {
  @Test func mismatchedGradientStopsNamingLeafAndBothShapes() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let optimiser = Adam<AffineModel<Double>>()
      var model = AffineModel<Double>(weight: .zeros([2, 5]), bias: .zeros([2]))
      var state = optimiser.initialState(for: model)
      var gradient = model.zeroTangentVector
      gradient[\.weight] = .zeros([5, 2])
      optimiser.update(&state, &model, gradient)
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("weight") && message.contains("[5, 2]") && message.contains("[2, 5]"), "\(message)")
  }

  @Test func negativeLearningRateIsRejectedAtConstruction() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Adam<Double>(learningRate: -0.1)
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("learningRate") && message.contains("-0.1"), "\(message)")
  }

  @Test func betaOfOneIsRejected() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Adam<Double>(beta1: 1)
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("beta1") && message.contains("1.0"), "\(message)")
  }

  @Test func nonPositiveEpsilonIsRejected() async {
    await #expect(processExitsWith: .failure) { _ = Adam<Double>(epsilon: 0) }
  }

  @Test func negativeDecayIsRejected() async {
    await #expect(processExitsWith: .failure) { _ = SGD<Double>(decay: -1) }
    await #expect(processExitsWith: .failure) { _ = Momentum<Double>(momentum: 1.5) }
    await #expect(processExitsWith: .failure) { _ = Nesterov<Double>(learningRate: .nan) }
  }

  @Test func invalidValueSetThroughAKeyPathIsCaughtAtTheNextStep() async {
    await #expect(processExitsWith: .failure) {
      var optimiser = Adam<Double>()
      optimiser.beta2 = -0.5
      var p = 1.0
      var state = optimiser.initialState(for: p)
      optimiser.update(&state, &p, 1)
    }
  }

  @Test func validateHyperparametersNamesTheParameterAndValue() {
    var optimiser = Momentum<Double>()
    optimiser.momentum = 1
    #expect(throws: OptimiserError.invalidHyperparameter(rule: "Momentum", name: "momentum", value: 1, requirement: "in [0, 1)")) {
      try optimiser.validateHyperparameters()
    }
  }

  @Test func stateForOtherShapesIsRejectedWithLeafAndShapes() throws {
    let optimiser = Adam<AffineModel<Double>>()
    let small = AffineModel<Double>(weight: .zeros([2, 5]), bias: .zeros([2]))
    let large = AffineModel<Double>(weight: .zeros([3, 5]), bias: .zeros([3]))
    let state = try JSONDecoder().decode(
      Adam<AffineModel<Double>>.State.self, from: JSONEncoder().encode(optimiser.initialState(for: small)))
    #expect(throws: OptimiserError.shapeMismatch(buffer: "firstMoment", leaf: "weight", expected: [3, 5], found: [2, 5])) {
      try optimiser.validate(state, for: large)
    }
    #expect(throws: Never.self) { try optimiser.validate(state, for: small) }
  }

  @Test func stateOfAnotherRuleIsRejectedOnDecoding() throws {
    let momentum = Momentum<Tensor<Double>>()
    let data = try JSONEncoder().encode(momentum.initialState(for: .zeros([3])))
    do {
      _ = try JSONDecoder().decode(Adam<Tensor<Double>>.State.self, from: data)
      Issue.record("decoding Momentum state as Adam state succeeded")
    } catch let DecodingError.dataCorrupted(context) {
      #expect(context.debugDescription.contains("Momentum") && context.debugDescription.contains("Adam"))
    }
  }

  @Test func negativeStepIsRejectedByValidation() throws {
    let json = #"{"rule":"SGD","step":-3}"#
    let state = try JSONDecoder().decode(SGD<Double>.State.self, from: Data(json.utf8))
    #expect(throws: OptimiserError.invalidState("step count -3 is negative")) {
      try SGD<Double>().validate(state, for: 1.0)
    }
  }

  @Test func hugeStepIsRejectedByValidationBeforeItCanOverflow() throws {
    let json = #"{"rule":"SGD","step":9223372036854775807}"#
    let state = try JSONDecoder().decode(SGD<Double>.State.self, from: Data(json.utf8))
    #expect(throws: OptimiserError.self) { try SGD<Double>().validate(state, for: 1.0) }
  }

  @Test func tensorWithWrongScalarCountIsRejectedOnDecoding() {
    let json = #"{"shape":[2,2],"scalars":[1,2,3]}"#
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Tensor<Double>.self, from: Data(json.utf8)) }
  }

  @Test func tangentWithWrongLeafCountIsRejectedOnDecoding() {
    let json = #"[{"shape":[1],"scalars":[1]}]"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(Tangent<AffineModel<Double>>.self, from: Data(json.utf8))
    }
  }

  @Test func adjustingToTheCurrentValueChangesNothing() {
    var random = SplitMix64(seed: 601)
    let optimiser = Adam<AffineModel<Double>>(learningRate: 0.01)
    var a = random.affine(Double.self), b = a
    var sa = optimiser.initialState(for: a), sb = sa
    for step in 0..<6 {
      let g = random.gradient(for: a)
      optimiser.update(&sa, &a, g)
      let same = step == 3 ? optimiser.adjusted(\.learningRate, to: optimiser.learningRate) : optimiser
      same.update(&sb, &b, g)
    }
    #expect(a.parametersBitwiseEqual(b))
  }

  @Test func zeroTangentGradientReadsAsZeros() {
    let optimiser = SGD<AffineModel<Double>>()
    var model = AffineModel<Double>(weight: .zeros([2, 2]), bias: Tensor([1, 2]))
    var state = optimiser.initialState(for: model)
    optimiser.update(&state, &model, .zero)
    #expect(model.bias.scalars == [1, 2])
    #expect(state.step == 1)
  }
}
