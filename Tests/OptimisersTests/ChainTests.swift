import Foundation
import Optimisers
import Testing

/// Counts how often a map is applied, to show that a chain applies its
/// composite map exactly once per element (one fused pass).
final class ApplyCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0
  var count: Int { lock.withLock { value } }
  func increment() { lock.withLock { value += 1 } }
}

/// A fusing transform that multiplies by 1 and counts its applications.
struct CountingIdentity: GradientTransform, GradientMap {
  typealias State = NoState
  typealias Map = CountingIdentity
  let counter: ApplyCounter
  static var fusesIntoRule: Bool { true }
  func map<Params: Differentiable, Incoming: GradientMap>(
    _ state: inout NoState, gradient: Params.TangentVector, params: Params, after incoming: Incoming
  ) -> CountingIdentity { self }
  func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar {
    counter.increment()
    return gradient
  }
  func validateHyperparameters() throws(OptimiserError) {}
}

@Suite struct ChainTests {
  typealias Model<S: ParameterScalar> = AffineModel<S>

  @Test func theIssueExampleInfersTransformTypes() {
    var model = affine(Double.self)
    let optimiser = Chain(ClipGlobalNorm(1.0), WeightDecay(1e-4), Adam<Model<Double>>(learningRate: 1e-3))
    var state = optimiser.initialState(for: model)
    let before = model
    optimiser.update(&state, &model, WrapperLaws.gradients(for: model, steps: 1, seed: 3)[0])
    #expect(!model.parametersBitwiseEqual(before))
    #expect(state.last.step == 1)
    #expect(optimiser.rule.learningRate == 1e-3)
    #expect(optimiser.leading.leading.maxNorm == 1.0)
    #expect(optimiser.leading.last.coefficient == 1e-4)
  }

  func chainOfOneEqualsRule<S: ParameterScalar>(_: S.Type) {
    let model = affine(S.self, seed: 7)
    let gradients = WrapperLaws.gradients(for: model, steps: 6, seed: 8)
    func same<O: Optimiser>(_ rule: O) -> Bool where O.Params == Model<S> {
      WrapperLaws.bitwiseEqual(
        WrapperLaws.trajectory(Chain(rule), from: model, gradients).params,
        WrapperLaws.trajectory(rule, from: model, gradients).params)
    }
    #expect(same(Adam<Model<S>>(learningRate: 0.01)))
    #expect(same(SGD<Model<S>>(learningRate: 0.1)))
    #expect(same(Momentum<Model<S>>()))
    #expect(same(Nesterov<Model<S>>()))
    #expect(same(Chain(ClipValue(0.5), Adam<Model<S>>())))
  }

  @Test func chainOfOneIsTheRuleBitwise() {
    chainOfOneEqualsRule(Float.self)
    chainOfOneEqualsRule(Double.self)
  }

  @Test func chainOfOneTransformIsTheTransform() {
    let model = affine(Double.self, seed: 2)
    let gradients = WrapperLaws.gradients(for: model, steps: 5, seed: 3, scale: 3)
    let a = WrapperLaws.trajectory(Chain(Chain(ClipValue(1)), SGD<Model<Double>>()), from: model, gradients).params
    let b = WrapperLaws.trajectory(Chain(ClipValue(1), SGD<Model<Double>>()), from: model, gradients).params
    #expect(WrapperLaws.bitwiseEqual(a, b))
  }

  func associativity<S: ParameterScalar>(_: S.Type) {
    let model = affine(S.self, seed: 11)
    let gradients = WrapperLaws.gradients(for: model, steps: 8, seed: 12, scale: 2)
    let rule = Adam<Model<S>>(learningRate: 0.01)
    func check<A: GradientTransform, B: GradientTransform>(_ a: A, _ b: B, _ label: String) {
      let left = WrapperLaws.trajectory(Chain(Chain(a, b), rule), from: model, gradients).params
      let right = WrapperLaws.trajectory(Chain(a, Chain(b, rule)), from: model, gradients).params
      let flat = WrapperLaws.trajectory(Chain(a, b, rule), from: model, gradients).params
      #expect(WrapperLaws.bitwiseEqual(left, right), "\(label): (ab)c != a(bc)")
      #expect(WrapperLaws.bitwiseEqual(left, flat), "\(label): (ab)c != Chain(a, b, c)")
    }
    check(ClipGlobalNorm(1), WeightDecay(0.1), "clip-global, decay")
    check(WeightDecay(0.1), ClipGlobalNorm(1), "decay, clip-global")
    check(ClipValue(0.5), ClipNorm(0.7), "clip-value, clip-norm")
    check(SignTransform(), WeightDecay(0.1), "non-fusing first")
    check(WeightDecay(0.1), SignTransform(), "non-fusing second")
    check(CountingScale(), ClipGlobalNorm(0.3), "stateful non-fusing")
    check(WeightDecay(0.1).masked(.rank(atLeast: 2)), SignTransform().masked { $0 == "bias" }, "masked")
  }

  @Test func chainIsAssociativeBitwise() {
    associativity(Float.self)
    associativity(Double.self)
  }

  @Test func fusedChainEqualsSequentialUnfusedApplication() {
    // Chain(ClipValue, WeightDecay, Adam) fuses both maps into Adam's loop; the
    // unfused reference rewrites the gradient member by member, then runs Adam.
    // The arithmetic per element is identical, so the results agree bitwise.
    var fusedModel = affine(Double.self, seed: 21)
    var unfusedModel = fusedModel
    let gradients = WrapperLaws.gradients(for: fusedModel, steps: 10, seed: 22, scale: 2)
    let clip = ClipValue(0.8), decay = WeightDecay(0.05), adam = Adam<Model<Double>>(learningRate: 0.02)
    let chain = Chain(clip, decay, adam)
    var fusedState = chain.initialState(for: fusedModel)
    var adamState = adam.initialState(for: unfusedModel)
    for g in gradients {
      chain.update(&fusedState, &fusedModel, g)
      var rewritten = g
      var none = NoState()
      clip.transform(&none, &rewritten, unfusedModel)
      decay.transform(&none, &rewritten, unfusedModel)
      adam.update(&adamState, &unfusedModel, rewritten)
    }
    #expect(fusedModel.parametersBitwiseEqual(unfusedModel))
    #expect(fusedState.last == adamState)
  }

  @Test func fusedChainAppliesItsMapOncePerElement() {
    // One pass: the composite map reaches the rule's loop, which applies it to
    // each element exactly once; no member walks the gradient on its own.
    let counter = ApplyCounter()
    var model = affine(Double.self, seed: 4)
    let chain = Chain(CountingIdentity(counter: counter), ClipValue(1), WeightDecay(1e-3), Adam<Model<Double>>())
    var state = chain.initialState(for: model)
    chain.update(&state, &model, WrapperLaws.gradients(for: model, steps: 1, seed: 5)[0])
    #expect(counter.count == 9)  // 3×2 weight + 3 bias
  }

  @Test func clipGlobalNormSeesTheGradientThroughEarlierMembers() {
    // Chain(WeightDecay, ClipGlobalNorm, SGD): the norm is of g + λp.
    var model = affine(Double.self, seed: 31)
    let start = model
    let g = WrapperLaws.gradients(for: model, steps: 1, seed: 32)[0]
    let chain = Chain(WeightDecay(0.5), ClipGlobalNorm(0.1), SGD<Model<Double>>(learningRate: 1))
    var state = chain.initialState(for: model)
    chain.update(&state, &model, g)
    var step = Tangent<Model<Double>>(leaves: [model.weight - start.weight, model.bias - start.bias])
    step = -1 * step
    #expect(abs(step.euclideanNorm - 0.1) < 1e-12)
    let expectedDirection = g + 0.5 * Tangent(leaves: [start.weight, start.bias])
    let ratio = step.leaves[0].scalars[0] / expectedDirection.leaves[0].scalars[0]
    #expect(abs(ratio - 0.1 / expectedDirection.euclideanNorm) < 1e-12)
  }

  @Test func chainOfTransformsIsATransformAndNests() {
    let inner = Chain(ClipValue(1), WeightDecay(0.1), ClipNorm(2))
    #expect(type(of: inner).fusesIntoRule)
    #expect(!Chain(ClipValue(1), SignTransform()).self.isFusing)
    let model = affine(Double.self, seed: 3)
    let gradients = WrapperLaws.gradients(for: model, steps: 4, seed: 9, scale: 3)
    let nestedChain = Chain(inner, Momentum<Model<Double>>())
    let flat = Chain(ClipValue(1), WeightDecay(0.1), ClipNorm(2), Momentum<Model<Double>>())
    #expect(WrapperLaws.bitwiseEqual(
      WrapperLaws.trajectory(nestedChain, from: model, gradients).params,
      WrapperLaws.trajectory(flat, from: model, gradients).params))
  }

  @Test func chainStateRoundTripsAndValidates() throws {
    let model = nested(seed: 5)
    let chain = Chain(ClipGlobalNorm(1), CountingScale(), Adam<NestedModel>())
    try WrapperLaws.check(chain, from: model, WrapperLaws.gradients(for: model, steps: 5, seed: 6), label: "Chain")
    let other = nested(seed: 5)
    var state = chain.initialState(for: other)
    state.leading.last.calls = -1
    #expect(throws: OptimiserError.self) { try chain.validate(state, for: other) }
    let adamState = Adam<NestedModel>().initialState(for: other)
    let data = try JSONEncoder().encode(adamState)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(type(of: state), from: data) }
  }

  @Test func zeroGradientIsReadAsZeros() {
    var a = affine(Double.self, seed: 8)
    var b = a
    let chain = Chain(ClipGlobalNorm(1), WeightDecay(0.1), SignTransform(), SGD<Model<Double>>())
    var sa = chain.initialState(for: a)
    var sb = chain.initialState(for: b)
    chain.update(&sa, &a, .zero)
    chain.update(&sb, &b, b.zeroTangentVector)
    #expect(a.parametersBitwiseEqual(b))
  }
}

extension Chain where Last: GradientTransform {
  /// Whether this chain of transforms fuses (test helper).
  var isFusing: Bool { Self.fusesIntoRule }
}
