import Optimisers
import Testing

@Suite struct AccumulateTests {
  func everyOneIsTheBase<S: ParameterScalar>(_: S.Type) {
    let model = affine(S.self, seed: 5)
    let gradients = WrapperLaws.gradients(for: model, steps: 7, seed: 6)
    let base = Chain(ClipValue(0.7), Adam<AffineModel<S>>(learningRate: 0.01))
    let reference = WrapperLaws.trajectory(base, from: model, gradients)
    for mode in AccumulationMode.allCases {
      let wrapped = WrapperLaws.trajectory(Accumulate(every: 1, base, mode: mode), from: model, gradients)
      #expect(WrapperLaws.bitwiseEqual(wrapped.params, reference.params), "\(mode)")
      #expect(wrapped.state.base == reference.state)
    }
  }

  @Test func accumulateEveryOneIsTheBaseBitwise() {
    everyOneIsTheBase(Float.self)
    everyOneIsTheBase(Double.self)
  }

  @Test func parametersChangeOnlyEveryKthCall() {
    var model = affine(Double.self, seed: 1)
    let gradients = WrapperLaws.gradients(for: model, steps: 9, seed: 2)
    let optimiser = Accumulate(every: 3, Momentum<AffineModel<Double>>(learningRate: 0.1))
    var state = optimiser.initialState(for: model)
    var previous = model
    for (call, g) in gradients.enumerated() {
      optimiser.update(&state, &model, g)
      let moved = !model.parametersBitwiseEqual(previous)
      #expect(moved == ((call + 1) % 3 == 0), "call \(call)")
      #expect(state.count == (call + 1) % 3)
      #expect(state.base.step == (call + 1) / 3)
      previous = model
    }
  }

  @Test func sumModeStepsWithTheSumAndMeanModeWithTheMean() {
    let model = affine(Double.self, seed: 3)
    let g = WrapperLaws.gradients(for: model, steps: 3, seed: 4)
    let sgd = SGD<AffineModel<Double>>(learningRate: 0.1)
    // Sum: 0 + g₁ is a copy, then + g₂, + g₃: the same additions as (g₁ + g₂) + g₃.
    let sum = WrapperLaws.trajectory(Accumulate(every: 3, sgd, mode: .sum), from: model, g).params.last!
    let bySum = WrapperLaws.trajectory(sgd, from: model, [(g[0] + g[1]) + g[2]]).params.last!
    #expect(sum.parametersBitwiseEqual(bySum))
    let mean = WrapperLaws.trajectory(Accumulate(every: 3, sgd), from: model, g).params.last!
    let byMean = WrapperLaws.trajectory(sgd, from: model, [(1.0 / 3) * ((g[0] + g[1]) + g[2])]).params.last!
    for (a, b) in zip(mean.flattenedParameters, byMean.flattenedParameters) { #expect(abs(a - b) < 1e-15) }
  }

  @Test func validationRejectsACountOutOfRange() {
    let model = affine(Double.self)
    let optimiser = Accumulate(every: 2, SGD<AffineModel<Double>>())
    var state = optimiser.initialState(for: model)
    state.count = 2
    #expect(throws: OptimiserError.self) { try optimiser.validate(state, for: model) }
  }

  @Test func everyZeroStops() async {
    await #expect(processExitsWith: .failure) { _ = Accumulate(every: 0, SGD<Double>()) }
  }
}
