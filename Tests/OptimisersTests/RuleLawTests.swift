import Foundation
import Optimisers
import Testing

/// A rule from the catalogue, as a test argument.
struct RuleCase: CustomTestStringConvertible, @unchecked Sendable {
  // Metatypes of a Sendable protocol carry no state.
  let rule: any CatalogueRule.Type
  var testDescription: String { rule.name }
}

/// The laws every rule in ``RuleCatalogue`` obeys, checked over random shapes,
/// values and hyperparameters, in `Float` and in `Double`.
@Suite struct RuleLawTests {
  static let cases = RuleCatalogue.all.map(RuleCase.init)
  static let trials = 12

  @Test(arguments: cases) func purity(_ entry: RuleCase) throws {
    try checkPurity(entry.rule, Float.self)
    try checkPurity(entry.rule, Double.self)
  }

  @Test(arguments: cases) func pureEqualsInPlace(_ entry: RuleCase) throws {
    try checkPureEqualsInPlace(entry.rule, Float.self)
    try checkPureEqualsInPlace(entry.rule, Double.self)
  }

  @Test(arguments: cases) func codableRoundTripAndResume(_ entry: RuleCase) throws {
    try checkResume(entry.rule, Float.self)
    try checkResume(entry.rule, Double.self)
  }

  @Test(arguments: cases) func zeroGradientFromZeroStateIsAFixedPoint(_ entry: RuleCase) {
    guard entry.rule.zeroGradientIsFixedPoint else { return }
    checkZeroGradient(entry.rule, Float.self)
    checkZeroGradient(entry.rule, Double.self)
  }

  /// Rules whose estimate reads every leaf (``CatalogueRule/couplesLeaves``) are
  /// left out; `LearningRateFreeTests` checks that they do couple the leaves.
  @Test(arguments: cases.filter { !$0.rule.couplesLeaves }) func leavesUpdateIndependently(_ entry: RuleCase) {
    checkLeafIndependence(entry.rule, Float.self)
    checkLeafIndependence(entry.rule, Double.self)
  }

  @Test(arguments: cases) func decreasesConvexQuadratics(_ entry: RuleCase) {
    checkConvexDescent(entry.rule, Float.self)
    checkConvexDescent(entry.rule, Double.self)
  }

  @Test(arguments: cases) func splittingAcrossThreadsIsBitwiseInvisible(_ entry: RuleCase) {
    checkSplitting(entry.rule, Float.self)
    checkSplitting(entry.rule, Double.self)
  }

  // MARK: - The laws

  /// A rule's kernel must be elementwise (or use `LeafWalk.forEachWholeLeaf`):
  /// cutting leaves into tiny blocks on two threads must not change one bit.
  func checkSplitting<S: ParameterScalar>(_ rule: any CatalogueRule.Type, _: S.Type) {
    var random = SplitMix64(seed: 0x5EED_0007)
    for trial in 0..<3 {
      let optimiser = rule.make(for: AffineModel<S>.self, using: &random)
      splitting(optimiser, seed: UInt64(trial))
    }
  }

  func splitting<O: Optimiser, S: ParameterScalar>(_ optimiser: O, seed: UInt64) where O.Params == AffineModel<S> {
    // Above the 1,024 scalars below which a step never splits.
    let start = AffineModel<S>(weight: Tensor(randomNormal: [37, 41], seed: seed), bias: Tensor(randomNormal: [37], seed: seed + 1))
    let gradients = (0..<3).map { step in
      Tangent<AffineModel<S>>(leaves: [
        Tensor(randomNormal: [37, 41], seed: seed + 10 + UInt64(step)), Tensor(randomNormal: [37], seed: seed + 20 + UInt64(step)),
      ])
    }
    func run(_ setting: Parallelism) -> AffineModel<S> {
      Parallelism.$current.withValue(setting) {
        var params = start
        var state = optimiser.initialState(for: params)
        for gradient in gradients { optimiser.update(&state, &params, gradient) }
        return params
      }
    }
    let serial = run(.serial)
    let split = run(Parallelism(maximumThreads: 2, minimumParallelScalars: 0, blockScalars: 7))
    #expect(serial.parametersBitwiseEqual(split), "\(O.self): splitting the walk changed the result")
  }

  func checkPurity<S: ParameterScalar>(_ rule: any CatalogueRule.Type, _: S.Type) throws {
    var random = SplitMix64(seed: 0x5EED_0001)
    for _ in 0..<Self.trials {
      let optimiser = rule.make(for: AffineModel<S>.self, using: &random)
      try purity(optimiser, &random)
    }
  }

  func purity<O: Optimiser, S: ParameterScalar>(_ optimiser: O, _ random: inout SplitMix64) throws
  where O.Params == AffineModel<S> {
    var params = random.affine(S.self)
    var state = optimiser.initialState(for: params)
    // Warm the state up so the buffers are not all zero.
    for _ in 0..<2 { optimiser.update(&state, &params, random.gradient(for: params)) }
    let gradient = random.gradient(for: params)
    let paramsBefore = params.flattenedParameters.map(\.bits)
    let stateBefore = try encoded(state)
    let gradientBefore = gradient.flattenedScalars.map(\.bits)

    let (state1, params1) = optimiser.update(state, params, gradient)
    let (state2, params2) = optimiser.update(state, params, gradient)

    #expect(params.flattenedParameters.map(\.bits) == paramsBefore, "\(O.self) changed its input parameters")
    #expect(try encoded(state) == stateBefore, "\(O.self) changed its input state")
    #expect(gradient.flattenedScalars.map(\.bits) == gradientBefore, "\(O.self) changed the gradient")
    #expect(params1.parametersBitwiseEqual(params2), "\(O.self) is not deterministic")
    #expect(try encoded(state1) == encoded(state2), "\(O.self) state is not deterministic")
  }

  func checkPureEqualsInPlace<S: ParameterScalar>(_ rule: any CatalogueRule.Type, _: S.Type) throws {
    var random = SplitMix64(seed: 0x5EED_0002)
    for _ in 0..<Self.trials {
      let optimiser = rule.make(for: AffineModel<S>.self, using: &random)
      try pureEqualsInPlace(optimiser, &random)
    }
  }

  func pureEqualsInPlace<O: Optimiser, S: ParameterScalar>(_ optimiser: O, _ random: inout SplitMix64) throws
  where O.Params == AffineModel<S> {
    var pureParams = random.affine(S.self)
    var placeParams = pureParams
    var pureState = optimiser.initialState(for: pureParams)
    var placeState = optimiser.initialState(for: placeParams)
    for _ in 0..<5 {
      let gradient = random.gradient(for: pureParams)
      (pureState, pureParams) = optimiser.update(consume pureState, consume pureParams, gradient)
      optimiser.update(&placeState, &placeParams, gradient)
    }
    #expect(pureParams.parametersBitwiseEqual(placeParams), "\(O.self): pure and in-place parameters differ")
    #expect(try encoded(pureState) == encoded(placeState), "\(O.self): pure and in-place states differ")
  }

  func checkResume<S: ParameterScalar>(_ rule: any CatalogueRule.Type, _: S.Type) throws {
    var random = SplitMix64(seed: 0x5EED_0003)
    for _ in 0..<Self.trials {
      let optimiser = rule.make(for: AffineModel<S>.self, using: &random)
      try resume(optimiser, &random)
    }
  }

  func resume<O: Optimiser, S: ParameterScalar>(_ optimiser: O, _ random: inout SplitMix64) throws
  where O.Params == AffineModel<S> {
    let start = random.affine(S.self)
    let n = random.int(in: 1...4), m = random.int(in: 1...4)
    let gradients = (0..<(n + m)).map { _ in random.gradient(for: start) }

    var straightParams = start
    var straightState = optimiser.initialState(for: start)
    for g in gradients { optimiser.update(&straightState, &straightParams, g) }

    var params = start
    var state = optimiser.initialState(for: start)
    for g in gradients[..<n] { optimiser.update(&state, &params, g) }
    let data = try encoded(state)
    var restored = try JSONDecoder().decode(O.State.self, from: data)
    #expect(try encoded(restored) == data, "\(O.self): decoding then encoding changed the state")
    try optimiser.validate(restored, for: params)
    for g in gradients[n...] { optimiser.update(&restored, &params, g) }

    #expect(params.parametersBitwiseEqual(straightParams), "\(O.self): resumed run differs from the uninterrupted one")
    #expect(try encoded(restored) == encoded(straightState), "\(O.self): resumed state differs")
  }

  func checkZeroGradient<S: ParameterScalar>(_ rule: any CatalogueRule.Type, _: S.Type) {
    var random = SplitMix64(seed: 0x5EED_0004)
    for _ in 0..<Self.trials {
      let optimiser = rule.make(for: AffineModel<S>.self, using: &random)
      zeroGradient(optimiser, &random)
    }
  }

  func zeroGradient<O: Optimiser, S: ParameterScalar>(_ optimiser: O, _ random: inout SplitMix64)
  where O.Params == AffineModel<S> {
    let start = random.affine(S.self)
    var params = start
    var state = optimiser.initialState(for: params)
    for _ in 0..<3 { optimiser.update(&state, &params, params.zeroTangentVector) }
    #expect(params.parametersBitwiseEqual(start), "\(O.self) moved under a zero gradient")
  }

  func checkLeafIndependence<S: ParameterScalar>(_ rule: any CatalogueRule.Type, _: S.Type) {
    var random = SplitMix64(seed: 0x5EED_0005)
    for _ in 0..<Self.trials {
      // The same draws give the same hyperparameters for each parameter type.
      let seed = random.next()
      var forModel = SplitMix64(seed: seed), forTensor = SplitMix64(seed: seed)
      let whole = rule.make(for: AffineModel<S>.self, using: &forModel)
      let part = rule.make(for: Tensor<S>.self, using: &forTensor)
      leafIndependence(whole, part, &random)
    }
  }

  func leafIndependence<O: Optimiser, T: Optimiser, S: ParameterScalar>(
    _ whole: O, _ part: T, _ random: inout SplitMix64
  ) where O.Params == AffineModel<S>, T.Params == Tensor<S> {
    var model = random.affine(S.self)
    var weight = model.weight, bias = model.bias
    var modelState = whole.initialState(for: model)
    var weightState = part.initialState(for: weight)
    var biasState = part.initialState(for: bias)
    for _ in 0..<4 {
      let g = random.gradient(for: model)
      whole.update(&modelState, &model, g)
      part.update(&weightState, &weight, g[\.weight])
      part.update(&biasState, &bias, g[\.bias])
    }
    #expect(model.weight.bitPatternsEqual(weight), "\(O.self): the weight leaf depends on the bias leaf")
    #expect(model.bias.bitPatternsEqual(bias), "\(O.self): the bias leaf depends on the weight leaf")
    #expect(model.parametersBitwiseEqual(model) && model.flattenedParameters.allSatisfy(\.isFinite),
            "\(O.self) produced non-finite parameters from finite inputs")
  }

  func checkConvexDescent<S: ParameterScalar>(_ rule: any CatalogueRule.Type, _: S.Type) {
    var random = SplitMix64(seed: 0x5EED_0006)
    for _ in 0..<4 {
      let optimiser = rule.makeForConvexDescent(for: AffineModel<S>.self)
      convexDescent(optimiser, &random)
    }
  }

  /// f(p) = ½ Σ aᵢ (pᵢ − cᵢ)² with curvatures aᵢ ∈ [0.5, 2].
  func convexDescent<O: Optimiser, S: ParameterScalar>(_ optimiser: O, _ random: inout SplitMix64)
  where O.Params == AffineModel<S> {
    var params = random.affine(S.self)
    let centre = AffineModel<S>(weight: random.tensor(params.weight.shape), bias: random.tensor(params.bias.shape))
    let curvature = AffineModel<S>(
      weight: Tensor(randomUniform: params.weight.shape, seed: random.next(), lowerBound: 0.5, upperBound: 2),
      bias: Tensor(randomUniform: params.bias.shape, seed: random.next(), lowerBound: 0.5, upperBound: 2))
    func loss(_ p: AffineModel<S>) -> Double {
      let dw = p.weight - centre.weight, db = p.bias - centre.bias
      return Double((curvature.weight * dw * dw).sum() + (curvature.bias * db * db).sum()) / 2
    }
    func gradient(_ p: AffineModel<S>) -> Tangent<AffineModel<S>> {
      var g = p.zeroTangentVector
      g[\.weight] = curvature.weight * (p.weight - centre.weight)
      g[\.bias] = curvature.bias * (p.bias - centre.bias)
      return g
    }
    let initial = loss(params)
    var state = optimiser.initialState(for: params)
    for _ in 0..<200 { optimiser.update(&state, &params, gradient(params)) }
    let final = loss(params)
    #expect(final < 0.5 * initial, "\(O.self): loss went from \(initial) to \(final) on a convex quadratic")
  }

  func encoded<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return try encoder.encode(value)
  }
}
