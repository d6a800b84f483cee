import Optimisers
import Testing

/// SGD with both of torch's weight decays, written outside the package with
/// `Block.forEachGradient(weightDecay:shrink:_:)`:
///
///     p ← p · s − η (g + λp)      (λp from p before the shrink s)
struct DecayingSGD<Params: Differentiable>: KernelRule {
  var learningRate = 0.5, weightDecay = 0.0, shrink = 1.0

  func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.nonNegative(weightDecay, "weightDecay")
    h.closedUnitInterval(shrink, "shrink")
  }

  struct State: ZeroStartingState, Equatable {
    var step = 0
    init(zerosLike params: Params) {}
    mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {}
  }

  func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias Scalar = Params.TangentVector.Scalar
    let rate = Scalar(learningRate), l2 = Scalar(weightDecay), s = Scalar(shrink)
    walk { b in b.forEachGradient(weightDecay: l2, shrink: s) { i, g in b.p[i] -= rate * g } }
  }
}

@Suite struct WeightDecayLoopTests {
  /// Exactly representable values, so the expected step is exact in Float.
  let p: [Float] = [1, -2, 0.5, 4, -0.25, 0]
  let g: [Float] = [0.5, 1, -1, 0.25, 2, -0.5]

  @Test(arguments: [(0.0, 1.0), (0.25, 1.0), (0.0, 0.5), (0.25, 0.5)])
  func eachCaseIsTheFormula(_ weightDecay: Double, _ shrink: Double) {
    let rule = DecayingSGD<Tensor<Float>>(weightDecay: weightDecay, shrink: shrink)
    var params = Tensor<Float>(shape: [6], scalars: p)
    var state = rule.initialState(for: params)
    rule.update(&state, &params, Tensor(shape: [6], scalars: g))
    let (l, s) = (Float(weightDecay), Float(shrink))
    let expected = zip(p, g).map { p, g in p * s - 0.5 * (g + l * p) }
    #expect(params.scalars == expected)
    #expect(state.step == 1)
  }

  /// With λ = 0 the body gets g itself, even where λp is NaN (0 · ∞).
  @Test func zeroWeightDecayKeepsTheGradientWhereTheParameterIsInfinite() {
    let rule = DecayingSGD<Tensor<Float>>()
    var params = Tensor<Float>(shape: [2], scalars: [.infinity, 1])
    var state = rule.initialState(for: params)
    rule.update(&state, &params, Tensor(shape: [2], scalars: [1, 1]))
    #expect(params.scalars == [.infinity, 0.5])
  }
}
