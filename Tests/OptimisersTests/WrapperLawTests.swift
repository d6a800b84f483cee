import Optimisers
import Testing

/// Every wrapper passes the purity, pure == in-place and Codable-resume checks
/// (see `WrapperLaws.check`), for Float and Double.
@Suite struct WrapperLawTests {
  func allWrappers<S: ParameterScalar>(_: S.Type) throws {
    typealias M = AffineModel<S>
    let model = affine(S.self, seed: 40)
    var gradients = WrapperLaws.gradients(for: model, steps: 7, seed: 41, scale: 2)
    try WrapperLaws.check(
      Chain(ClipGlobalNorm(1), WeightDecay(1e-2), Adam<M>(learningRate: 0.01)), from: model, gradients, label: "Chain")
    try WrapperLaws.check(
      Chain(ClipValue(1), SignTransform(), CountingScale(), Momentum<M>()), from: model, gradients, label: "Chain non-fusing")
    try WrapperLaws.check(
      Chain(WeightDecay(0.1).masked(.rank(atLeast: 2)), ClipNorm(1).masked { $0 == "bias" }, SGD<M>()),
      from: model, gradients, label: "Masked")
    try WrapperLaws.check(Accumulate(every: 3, Adam<M>()), from: model, gradients, label: "Accumulate mean")
    try WrapperLaws.check(Accumulate(every: 2, Nesterov<M>(), mode: .sum), from: model, gradients, label: "Accumulate sum")
    try WrapperLaws.check(Lookahead(Adam<M>(), syncPeriod: 3, slowStepSize: 0.5), from: model, gradients, label: "Lookahead")
    try WrapperLaws.check(
      Lookahead(Momentum<M>(), syncPeriod: 2, slowStepSize: 0.3, resetsState: true), from: model, gradients,
      label: "Lookahead reset")
    try WrapperLaws.check(ExponentialMovingAverage(Adam<M>(), decay: 0.9), from: model, gradients, label: "EMA")
    try WrapperLaws.check(
      ExponentialMovingAverage(SGD<M>(), decay: 0.5, debiased: false), from: model, gradients, label: "EMA plain")
    try WrapperLaws.check(
      DecoupledWeightDecay(0.1, Adam<M>(learningRate: 0.01), learningRate: \.learningRate), from: model, gradients,
      label: "DecoupledWeightDecay")
    try WrapperLaws.check(
      Partition(Momentum(), for: \M.bias, otherwise: Adam()), from: model, gradients, label: "Partition")
    try WrapperLaws.check(Partition(Frozen(), for: \M.weight, otherwise: SGD()), from: model, gradients, label: "Frozen")
    try WrapperLaws.check(Frozen<M>(), from: model, gradients, label: "Frozen alone")
    // SkipNonFinite, with non-finite steps in the run.
    gradients[2].leaves[0].withUnsafeMutableBufferPointer { $0[1] = .nan }
    gradients[4].leaves[1].withUnsafeMutableBufferPointer { $0[0] = .infinity }
    try WrapperLaws.check(SkipNonFinite(Adam<M>()), from: model, gradients, label: "SkipNonFinite")
    try WrapperLaws.check(
      SkipNonFinite(Chain(ClipGlobalNorm(1), Momentum<M>()), check: .parameters), from: model, gradients,
      label: "SkipNonFinite parameters")
  }

  @Test func everyWrapperIsPureResumableAndInPlaceEqualsPure() throws {
    try allWrappers(Float.self)
    try allWrappers(Double.self)
  }

  @Test func wrappersNest() throws {
    let model = nested(seed: 3)
    let gradients = WrapperLaws.gradients(for: model, steps: 8, seed: 4)
    let optimiser = SkipNonFinite(
      Accumulate(
        every: 2,
        Chain(
          ClipGlobalNorm(1),
          ExponentialMovingAverage(
            Lookahead(
              Partition(Frozen(), for: \NestedModel.scale, otherwise: Adam(learningRate: 0.01)),
              syncPeriod: 2, slowStepSize: 0.5),
            decay: 0.9))))
    try WrapperLaws.check(optimiser, from: model, gradients, label: "nested wrappers")
    let final = WrapperLaws.trajectory(optimiser, from: model, gradients).params.last!
    #expect(final.scale == model.scale)
    #expect(final.extra != model.extra)
  }
}
