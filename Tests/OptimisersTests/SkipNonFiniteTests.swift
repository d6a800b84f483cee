import Optimisers
import Testing

@Suite struct SkipNonFiniteTests {
  typealias Model = AffineModel<Double>

  func finiteIsTheBase<S: ParameterScalar>(_: S.Type) {
    let model = affine(S.self, seed: 2)
    let gradients = WrapperLaws.gradients(for: model, steps: 6, seed: 3)
    let base = Chain(WeightDecay(0.01), Adam<AffineModel<S>>(learningRate: 0.01))
    let reference = WrapperLaws.trajectory(base, from: model, gradients)
    for check in NonFiniteCheck.allCases {
      for policy in NonFinitePolicy.allCases {
        let wrapped = WrapperLaws.trajectory(SkipNonFinite(base, policy: policy, check: check), from: model, gradients)
        #expect(WrapperLaws.bitwiseEqual(wrapped.params, reference.params), "\(check) \(policy)")
        #expect(wrapped.state.base == reference.state)
        #expect(wrapped.state.nonFiniteSteps == 0)
      }
    }
  }

  @Test func onFiniteGradientsItIsTheBaseBitwise() {
    finiteIsTheBase(Float.self)
    finiteIsTheBase(Double.self)
  }

  func poisoned(_ g: Tangent<Model>, _ value: Double = .nan) -> Tangent<Model> {
    var bad = g
    bad.leaves[1].withUnsafeMutableBufferPointer { $0[0] = value }
    return bad
  }

  @Test func aNonFiniteStepLeavesParametersAndInnerStateUntouched() {
    var model = affine(Double.self, seed: 4)
    let gradients = WrapperLaws.gradients(for: model, steps: 3, seed: 5)
    let optimiser = SkipNonFinite(Adam<Model>(learningRate: 0.01))
    var state = optimiser.initialState(for: model)
    optimiser.update(&state, &model, gradients[0])
    let modelBefore = model
    let innerBefore = state.base
    for value in [Double.nan, .infinity, -.infinity] {
      optimiser.update(&state, &model, poisoned(gradients[1], value))
      #expect(model.parametersBitwiseEqual(modelBefore))
      #expect(state.base == innerBefore)
    }
    #expect(state.nonFiniteSteps == 3 && state.consecutiveNonFiniteSteps == 3)
    optimiser.update(&state, &model, gradients[1])
    #expect(state.nonFiniteSteps == 3 && state.consecutiveNonFiniteSteps == 0)
    #expect(state.base.step == 2)
  }

  @Test func aMapThatMakesTheGradientNonFiniteIsCaught() {
    // A finite gradient, but weight decay of an infinite parameter is not finite.
    var model = AffineModel<Double>(weight: Tensor(shape: [1, 1], scalars: [.infinity]), bias: Tensor([1]))
    let optimiser = Chain(WeightDecay(0.1), SkipNonFinite(SGD<Model>()))
    var state = optimiser.initialState(for: model)
    optimiser.update(&state, &model, model.zeroTangentVector)
    #expect(state.last.nonFiniteSteps == 1)
    #expect(model.bias.scalars == [1])
  }

  @Test func givingUpThrowsAndChangesNothing() {
    var model = affine(Double.self, seed: 6)
    let g = poisoned(WrapperLaws.gradients(for: model, steps: 1, seed: 7)[0])
    let optimiser = SkipNonFinite(Momentum<Model>(), maxConsecutive: 2)
    var state = optimiser.initialState(for: model)
    #expect(throws: Never.self) { try optimiser.checkedUpdate(&state, &model, g) }
    #expect(throws: Never.self) { try optimiser.checkedUpdate(&state, &model, g) }
    let stateBefore = state
    let modelBefore = model
    #expect(throws: NonFiniteError(consecutive: 3, total: 3, policy: .skip)) {
      try optimiser.checkedUpdate(&state, &model, g)
    }
    #expect(state == stateBefore)
    #expect(model.parametersBitwiseEqual(modelBefore))
  }

  @Test func givingUpInThePlainUpdateStops() async {
    await #expect(processExitsWith: .failure) {
      var model = 1.0
      let optimiser = SkipNonFinite(SGD<Double>(), maxConsecutive: 0)
      var state = optimiser.initialState(for: model)
      optimiser.update(&state, &model, .nan)
    }
  }

  @Test func stopGivesUpAtTheFirstNonFiniteStep() {
    var model = 1.0
    let optimiser = SkipNonFinite(SGD<Double>(), policy: .stop)
    var state = optimiser.initialState(for: model)
    #expect(throws: NonFiniteError(consecutive: 1, total: 1, policy: .stop)) {
      try optimiser.checkedUpdate(&state, &model, .infinity)
    }
    #expect(model == 1)
  }

  @Test func propagateAppliesTheStepAndCounts() throws {
    var model = 1.0
    let optimiser = SkipNonFinite(SGD<Double>(), policy: .propagate, maxConsecutive: 0)
    var state = optimiser.initialState(for: model)
    try optimiser.checkedUpdate(&state, &model, .nan)
    try optimiser.checkedUpdate(&state, &model, .nan)
    #expect(model.isNaN)
    #expect(state.nonFiniteSteps == 2 && state.consecutiveNonFiniteSteps == 2 && state.base.step == 2)
  }

  @Test func checkingParametersCatchesOverflowInsideTheRule() {
    var model = 1e300
    let optimiser = SkipNonFinite(SGD<Double>(learningRate: 1e300), check: .parameters)
    var state = optimiser.initialState(for: model)
    optimiser.update(&state, &model, -1e300)  // finite gradient, p would overflow
    #expect(model == 1e300)
    #expect(state.nonFiniteSteps == 1 && state.base.step == 0)
    let gradientOnly = SkipNonFinite(SGD<Double>(learningRate: 1e300))
    var other = gradientOnly.initialState(for: 1e300)
    var overflowed = 1e300
    gradientOnly.update(&other, &overflowed, -1e300)
    #expect(overflowed == .infinity)
  }

  @Test func validationRejectsImpossibleCounts() {
    let optimiser = SkipNonFinite(SGD<Double>())
    var state = optimiser.initialState(for: 0)
    state.consecutiveNonFiniteSteps = 2
    #expect(throws: OptimiserError.self) { try optimiser.validate(state, for: 0) }
  }

  @Test func errorDescriptionNamesTheCounts() {
    let text = NonFiniteError(consecutive: 4, total: 9, policy: .skip).description
    #expect(text.contains("4 consecutive") && text.contains("9 in total"))
  }
}
