import OptimiserLaws
import Optimisers
import Testing

/// A rule written outside the package with only its public API: Adan's update
/// (Xie et al., *Adan: Adaptive Nesterov Momentum Algorithm*, 2022), which keeps
/// four buffers shaped like the parameters — more than the walk used to carry.
///
///     d = g − g_prev            (0 on the first step)
///     m ← (1 − β₁) m + β₁ g
///     v ← (1 − β₂) v + β₂ d
///     n ← (1 − β₃) n + β₃ (g + (1 − β₂) d)²
///     p ← p − η (m + (1 − β₂) v) / (√n + ε)
struct AdanLike<Params: Differentiable>: KernelRule {
  var learningRate = 0.01, beta1 = 0.02, beta2 = 0.08, beta3 = 0.01, epsilon = 1e-8

  func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.closedUnitInterval(beta1, "beta1")
    h.closedUnitInterval(beta2, "beta2")
    h.closedUnitInterval(beta3, "beta3"); h.positive(epsilon, "epsilon")
  }

  struct State: ZeroStartingState, Equatable {
    var step = 0
    var m, v, n, previous: Params.TangentVector

    init(zerosLike params: Params) {
      let zero = params.zeroTangentVector
      (m, v, n, previous) = (zero, zero, zero, zero)
    }

    mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&m, "m"); visitor.visit(&v, "v"); visitor.visit(&n, "n"); visitor.visit(&previous, "previous")
    }
  }

  func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    adanLikeStep(t, walk, learningRate, beta1, beta2, beta3, epsilon)
  }
}

/// AdanLike's kernel, shared with ``NamedAdanLike`` (the same update over a
/// hand-written state and over a ``NamedBufferState``).
func adanLikeStep<Params, State, Map: GradientMap>(
  _ t: Int, _ walk: Walk<Params, State, Map>, _ learningRate: Double, _ beta1: Double, _ beta2: Double, _ beta3: Double,
  _ epsilon: Double
) {
  typealias Scalar = Params.TangentVector.Scalar
  let rate = Scalar(learningRate), b1 = Scalar(beta1), b2 = Scalar(beta2), b3 = Scalar(beta3), eps = Scalar(epsilon)
  let first = t == 1
  walk { b in
    let (m, v, n, previous) = (b[0], b[1], b[2], b[3])
    for i in b.indices {
      let g = b.gradient(i)
      let d = first ? 0 : g - previous[i]
      m[i] = (1 - b1) * m[i] + b1 * g
      v[i] = (1 - b2) * v[i] + b2 * d
      let corrected = g + (1 - b2) * d
      n[i] = (1 - b3) * n[i] + b3 * corrected * corrected
      previous[i] = g
      b.p[i] -= rate * (m[i] + (1 - b2) * v[i]) / (Scalar.squareRoot(of: n[i]) + eps)
    }
  }
}

struct Pair: Parameterised {
  typealias Scalar = Double
  var weight: Tensor<Double>
  var bias: Tensor<Double>
  static let parameters = ParameterList<Pair>(\.weight, \.bias)
}

@Suite struct AdanLikeRuleTests {
  @Test func twoStepsMatchTheFormulaByHand() {
    let rule = AdanLike<Double>(learningRate: 0.1)
    var p = 1.0
    var state = rule.initialState(for: p)
    rule.update(&state, &p, 2.0)
    // Step 1: d = 0; m = 0.02·2, v = 0, n = 0.01·4; p = 1 − 0.1 · 0.04 / (0.2 + ε).
    let p1 = 1 - 0.1 * (0.02 * 2) / ((0.01 * 4.0).squareRoot() + 1e-8)
    #expect(abs(p - p1) < 1e-15)
    rule.update(&state, &p, 1.0)
    // Step 2: d = −1.
    let m2 = 0.98 * 0.04 + 0.02 * 1, v2 = 0.08 * -1.0, c = 1 + 0.92 * -1.0
    let n2 = 0.99 * 0.04 + 0.01 * c * c
    let p2 = p1 - 0.1 * (m2 + 0.92 * v2) / (n2.squareRoot() + 1e-8)
    #expect(abs(p - p2) < 1e-15)
    #expect(state.step == 2 && state.previous == 1.0)
  }

  @Test func aBadHyperparameterIsNamedWithItsRuleAndRange() {
    let error = #expect(throws: OptimiserError.self) { try AdanLike<Double>(beta3: 1.5).validateHyperparameters() }
    #expect(error?.description == "AdanLike: beta3 must be in [0, 1], got 1.5; pass a value of beta3 that is in [0, 1]")
    #expect(AdanLike<Double>().hyperparameterRanges.map(\.name) == ["learningRate", "beta1", "beta2", "beta3", "epsilon"])
  }

  @Test func aBufferOfTheWrongShapeIsNamed() {
    let model = Pair(weight: .zeros([2, 3]), bias: .zeros([2]))
    var state = AdanLike<Pair>().initialState(for: model)
    state.n = Tangent(leaves: [.zeros([3, 2]), .zeros([2])])
    #expect(throws: OptimiserError.shapeMismatch(buffer: "n", leaf: "weight", expected: [2, 3], found: [3, 2])) {
      try AdanLike<Pair>().validate(state, for: model)
    }
  }

  @Test func obeysTheLawKitOnATensorModel() {
    let report = OptimiserLaws.check(
      AdanLike<Pair>(), parameters: .model(Pair(weight: .zeros([3, 4]), bias: .zeros([3]))),
      configuration: LawConfiguration(seed: 11, trials: 6))
    #expect(report.passed, "\(report)")
  }

  @Test func theSameBitsOnOneThreadAndOnTwo() {
    let model = Pair(weight: Tensor(randomNormal: [300, 400], seed: 1), bias: Tensor(randomNormal: [300], seed: 2))
    let gradient = Tangent<Pair>(leaves: [Tensor(randomNormal: [300, 400], seed: 3), Tensor(randomNormal: [300], seed: 4)])
    func run(_ threads: Int) -> Pair {
      Parallelism.$current.withValue(Parallelism(maximumThreads: threads, minimumParallelScalars: 1 << 10, blockScalars: 1 << 12)) {
        let rule = AdanLike<Pair>()
        var (state, p) = (rule.initialState(for: model), model)
        for _ in 0..<3 { rule.update(&state, &p, gradient) }
        return p
      }
    }
    #expect(run(1).parametersBitwiseEqual(run(2)))
  }
}
