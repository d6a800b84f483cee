import Foundation
import OptimiserLaws
import Optimisers
import Testing

/// ``AdanLike``'s update over the short state, with only the public API: the
/// buffers named once (``NamedBufferState``), the kernel shared (``adanLikeStep``).
struct NamedAdanLike<Params: Differentiable>: KernelRule, BufferNaming {
  var learningRate = 0.01, beta1 = 0.02, beta2 = 0.08, beta3 = 0.01, epsilon = 1e-8
  static var bufferNames: [StaticString] { ["m", "v", "n", "previous"] }
  typealias State = NamedBufferState<Params, NamedAdanLike>

  func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.closedUnitInterval(beta1, "beta1"); h.closedUnitInterval(beta2, "beta2")
    h.closedUnitInterval(beta3, "beta3"); h.positive(epsilon, "epsilon")
  }

  func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    adanLikeStep(t, walk, learningRate, beta1, beta2, beta3, epsilon)
  }
}

@Suite struct NamedBufferRuleTests {
  @Test func theShortFormIsBitIdenticalToTheHandWrittenState() {
    let model = Pair(weight: Tensor(randomNormal: [30, 40], seed: 1), bias: Tensor(randomNormal: [30], seed: 2))
    let (short, long) = (NamedAdanLike<Pair>(learningRate: 0.05), AdanLike<Pair>(learningRate: 0.05))
    var (p, q) = (model, model)
    var (s, t) = (short.initialState(for: p), long.initialState(for: q))
    for k in UInt64(0)..<6 {
      let g = Tangent<Pair>(leaves: [Tensor(randomNormal: [30, 40], seed: 10 + k), Tensor(randomNormal: [30], seed: 20 + k)])
      short.update(&s, &p, g)
      long.update(&t, &q, g)
    }
    #expect(p.parametersBitwiseEqual(q))
    #expect(s.step == 6 && s[3] == t.previous && s.buffer(named: "n") == t.n && s.buffer(named: "missing") == nil)
  }

  @Test func buffersAreKeyedByTheirNamesAsStoredPropertiesWouldBe() throws {
    let rule = NamedAdanLike<Double>()
    var p = 1.0, state = rule.initialState(for: p)
    rule.update(&state, &p, 2.0)
    let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(state)) as? [String: Any]
    #expect(json?.keys.sorted() == ["m", "n", "previous", "rule", "step", "v"])
    #expect(json?["rule"] as? String == "NamedAdanLike" && json?["previous"] as? Double == 2)
    let decoded = try JSONDecoder().decode(NamedAdanLike<Double>.State.self, from: JSONEncoder().encode(state))
    #expect(decoded == state)
    let other = Data(#"{"rule":"AdanLike","step":1,"m":0,"v":0,"n":0,"previous":0}"#.utf8)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(NamedAdanLike<Double>.State.self, from: other) }
  }

  @Test func aStateWithTheWrongNumberOfBuffersIsRefused() {
    #expect(throws: OptimiserError.self) { try NamedAdanLike<Double>.State(step: 0, buffers: [0, 0]) }
    #expect((try? NamedAdanLike<Double>.State(step: 2, buffers: [1, 2, 3, 4]))?[2] == 3)
  }

  @Test func obeysTheLawKitOnATensorModel() {
    let report = OptimiserLaws.check(
      NamedAdanLike<Pair>(), parameters: .model(Pair(weight: .zeros([3, 4]), bias: .zeros([3]))),
      configuration: LawConfiguration(seed: 11, trials: 6))
    #expect(report.passed, "\(report)")
  }
}
