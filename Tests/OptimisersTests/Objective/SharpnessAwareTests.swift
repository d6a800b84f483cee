import Foundation
import Optimisers
import Testing

@Suite("SharpnessAware: the ascent, adaptive scaling, state")
struct SharpnessAwareTests {
  /// f = ½ Σ kᵢ xᵢ², ∇f = k ⊙ x.
  static let curvatures = [1.0, 4.0, 0.5]
  static func quadratic(_ x: Tensor<Double>) -> (value: Double, gradient: Tensor<Double>) {
    let s = x.scalars
    var value = 0.0
    for i in 0..<s.count { value += 0.5 * curvatures[i] * s[i] * s[i] }
    return (value, Tensor((0..<s.count).map { curvatures[$0] * s[$0] }))
  }

  /// One SGD step from the gradient at x + ε, with ε written out.
  func expectedStep(_ x: [Double], radius: Double, learningRate: Double, adaptive: Bool) -> [Double] {
    let g = (0..<x.count).map { Self.curvatures[$0] * x[$0] }
    let t = x.map { adaptive ? abs($0) + 0.01 : 1 }
    let norm = (0..<x.count).map { t[$0] * g[$0] * t[$0] * g[$0] }.reduce(0, +).squareRoot()
    let perturbed = (0..<x.count).map { x[$0] + radius * t[$0] * t[$0] * g[$0] / norm }
    return (0..<x.count).map { x[$0] - learningRate * Self.curvatures[$0] * perturbed[$0] }
  }

  @Test("SAM and adaptive SAM step from the gradient at x + ε", arguments: [false, true])
  func ascent(_ adaptive: Bool) throws {
    let sam = SharpnessAware(SGD<Tensor<Double>>(learningRate: 0.1), radius: 0.3, adaptive: adaptive)
    let start = [1.0, -2.0, 3.0]
    var x = Tensor(start)
    var state = sam.initialState(for: x)
    let report = try sam.step(&state, &x, objective: Self.quadratic)
    let expected = expectedStep(start, radius: 0.3, learningRate: 0.1, adaptive: adaptive)
    #expect(zip(x.scalars, expected).allSatisfy { relativeDifference($0, $1) <= 1e-14 }, "\(x.scalars) against \(expected)")
    #expect(report.evaluations == 2 && report.iterations == 1 && report.stopReason == .singleUpdate)
    #expect(report.initialValue == Self.quadratic(Tensor(start)).value)
    #expect(state.step == 1)
  }

  @Test("a zero gradient perturbs nothing and produces no NaN")
  func zeroGradient() throws {
    let sam = SharpnessAware(SGD<Tensor<Double>>(learningRate: 0.1))
    var x = Tensor([0.0, 0.0, 0.0])
    var state = sam.initialState(for: x)
    try sam.step(&state, &x, objective: Self.quadratic)
    #expect(x.scalars == [0, 0, 0])
  }

  @Test("a run resumed from a JSON checkpoint is bit-identical; pure equals in place")
  func resume() throws {
    let sam = SharpnessAware(Adam<Tensor<Double>>(learningRate: 0.05), radius: 0.1, adaptive: true, ascentSteps: 2)
    var x = Tensor([1.0, -2.0, 3.0])
    var state = sam.initialState(for: x)
    for _ in 0..<3 { try sam.step(&state, &x, objective: Self.quadratic) }
    let data = try JSONEncoder().encode(state)
    var resumed = try sam.validated(JSONDecoder().decode(type(of: state), from: data), for: x)
    var y = x
    let (pureState, pureX, _) = try sam.step(state, x, objective: Self.quadratic)
    for _ in 0..<3 {
      try sam.step(&state, &x, objective: Self.quadratic)
      try sam.step(&resumed, &y, objective: Self.quadratic)
    }
    #expect(x.bitPatternsEqual(y) && state == resumed)
    var z = Tensor([1.0, -2.0, 3.0])
    var s = sam.initialState(for: z)
    for _ in 0..<4 { try sam.step(&s, &z, objective: Self.quadratic) }
    #expect(z.bitPatternsEqual(pureX) && s == pureState)
  }

  @Test("bad hyperparameters and non-finite gradients are errors")
  func errors() {
    var sam = SharpnessAware(SGD<Tensor<Double>>(learningRate: 0.1))
    sam.radius = 0
    #expect(throws: OptimiserError.invalidHyperparameter(
      rule: "SharpnessAware", name: "radius", value: 0, requirement: "finite and > 0")) {
      try sam.validateHyperparameters()
    }
    sam.radius = 0.05
    sam.ascentSteps = 0
    #expect(throws: OptimiserError.self) { try sam.validateHyperparameters() }
    sam.ascentSteps = 1
    var x = Tensor([1.0])
    var state = sam.initialState(for: x)
    #expect(throws: ObjectiveError.nonFiniteGradient(evaluation: 2)) {
      try sam.step(&state, &x) { p in p.scalars[0] == 1 ? (1, Tensor([1.0])) : (1, Tensor([Double.nan])) }
    }
    #expect(x.scalars == [1] && state.step == 0)
  }
}
