import Foundation
import Optimisers
import Testing

/// What the options of issue 13 promise beyond the reference trajectories:
/// AdamW is Adam after the decoupled shrink (bit for bit), defaults at zero
/// change nothing, presets carry each reference's defaults, checkpoints
/// written before an option existed still load, and ASGD's average.
@Suite struct OptionSemanticsTests {
  typealias M<S: ParameterScalar> = AffineModel<S>

  /// Runs `a` and `b` from the same start on the same gradients and returns
  /// whether the parameters stayed bitwise equal after every step.
  func sameBits<A: Optimiser, B: Optimiser, S: ParameterScalar>(_ a: A, _ b: B, _: S.Type, steps: Int = 12) -> Bool
  where A.Params == M<S>, B.Params == M<S> {
    var random = SplitMix64(seed: 0x13_0002)
    var p: M<S> = random.affine(), q = p
    var sa = a.initialState(for: p), sb = b.initialState(for: q)
    for _ in 0..<steps {
      let g = random.gradient(for: p)
      a.update(&sa, &p, g)
      b.update(&sb, &q, g)
      if !p.parametersBitwiseEqual(q) { return false }
    }
    return true
  }

  func adamW<S: ParameterScalar>(_: S.Type) {
    for (rate, decay, root) in [(0.01, 0.1, 0.0), (0.003, 0.5, 1e-6), (0.05, 0.0, 0.0)] {
      let fused = AdamW<M<S>>(learningRate: rate, beta1: 0.8, weightDecay: decay, epsilonRoot: root)
      let wrapped = DecoupledWeightDecay(
        decay, Adam<M<S>>(learningRate: rate, beta1: 0.8, epsilonRoot: root), learningRate: \.learningRate)
      #expect(sameBits(fused, wrapped, S.self), "AdamW(η: \(rate), λ: \(decay)) differs from DecoupledWeightDecay(Adam) in \(S.self)")
    }
    #expect(sameBits(AdamW<M<S>>(learningRate: 0.01, weightDecay: 0), Adam<M<S>>(learningRate: 0.01), S.self))
    // A non-zero λ is told apart.
    #expect(!sameBits(AdamW<M<S>>(learningRate: 0.01, weightDecay: 0.1), Adam<M<S>>(learningRate: 0.01), S.self))
  }

  @Test func adamWIsDecoupledWeightDecayOverAdamBitForBit() {
    adamW(Float.self)
    adamW(Double.self)
  }

  @Test func zeroOptionsAreTheOldRules() {
    typealias P = M<Double>
    // Options at their defaults take the old arithmetic, so the explicit spelling is bitwise the default one.
    #expect(sameBits(Momentum<P>(dampening: 0, weightDecay: 0), Momentum<P>(), Double.self))
    #expect(!sameBits(Momentum<P>(dampening: 0.5), Momentum<P>(), Double.self))
    #expect(sameBits(RMSProp<P>(initialScale: 0, biasCorrection: false, nesterov: false), RMSProp<P>(), Double.self))
    #expect(!sameBits(RMSProp<P>(momentum: 0.9, nesterov: true), RMSProp<P>(momentum: 0.9), Double.self))
    #expect(!sameBits(Adam<P>(epsilonRoot: 1e-3), Adam<P>(), Double.self))
    // Coupled weight decay is WeightDecay chained before the rule.
    #expect(sameBits(SGD<P>(learningRate: 0.1, weightDecay: 0.01), Chain(WeightDecay(0.01), SGD<P>(learningRate: 0.1)), Double.self))
    #expect(sameBits(Adam<P>(weightDecay: 0.01), Chain(WeightDecay(0.01), Adam<P>()), Double.self))
  }

  @Test func presetsCarryEachReferencesDefaults() {
    typealias P = M<Double>
    #expect(AdamW<P>.torch().weightDecay == 0.01 && AdamW<P>.torch().learningRate == 0.001)
    #expect(AdamW<P>.optax(learningRate: 0.003).weightDecay == 1e-4 && AdamW<P>.optax(learningRate: 0.003).epsilon == 1e-8)
    #expect(Lion<P>.optax(learningRate: 3e-4).weightDecay == 1e-3 && Lion<P>().weightDecay == 0)
    #expect(LARS<P>.optax(learningRate: 0.2).learningRate == 0.2 && LARS<P>.optax(learningRate: 0.2).momentum == 0.9)
  }

  @Test func checkpointsFromBeforeTheOptionsStillLoadAndOtherValuesAreRefused() throws {
    // The committed version-1 sample was written by Adam with five hyperparameters.
    let checkpoint = try Fixtures.load(Checkpoint.self, from: "checkpoint-v1-adam.json")
    #expect(throws: Never.self) { try Adam<Tensor<Double>>(learningRate: 0.01).restore(from: checkpoint, for: .zeros([2])) }
    #expect(throws: CheckpointError.self) {
      try Adam<Tensor<Double>>(learningRate: 0.01, epsilonRoot: 1e-8).restore(from: checkpoint, for: .zeros([2]))
    }
    let names = OptimiserDescription(describing: Adam<Tensor<Double>>()).hyperparameters.map(\.name)
    #expect(names == ["learningRate", "beta1", "beta2", "epsilon", "decay"])
    let withRoot = OptimiserDescription(describing: Adam<Tensor<Double>>(epsilonRoot: 1e-6)).hyperparameters.map(\.name)
    #expect(withRoot == ["learningRate", "beta1", "beta2", "epsilon", "decay", "epsilonRoot"])
    // A state saved with the option set comes back with it.
    let rule = RMSProp<Tensor<Double>>(initialScale: 0.5, biasCorrection: true)
    var p = Tensor<Double>([1, -2, 3])
    var state = rule.initialState(for: p)
    rule.update(&state, &p, Tensor([0.5, 0.25, -1]))
    let restored = try rule.restore(from: Checkpoint(decoding: rule.checkpoint(state, for: p).encoded()), for: p)
    #expect(restored == state)
    #expect(throws: CheckpointError.self) {
      try RMSProp<Tensor<Double>>(initialScale: 0.5).restore(from: Checkpoint(decoding: rule.checkpoint(state, for: p).encoded()), for: p)
    }
  }

  @Test func asgdAveragesTheIteratesAfterT0Steps() throws {
    let rule = ASGD<Tensor<Double>>(learningRate: 0.1, lambda: 0.01, alpha: 0.75, t0: 2)
    var p = Tensor<Double>([1, -2])
    var state = rule.initialState(for: p)
    var iterates: [[Double]] = []
    var random = SplitMix64(seed: 0x13_0003)
    for _ in 0..<8 {
      rule.update(&state, &p, Tensor([random.double(in: -1...1), random.double(in: -1...1)]))
      iterates.append(p.scalars)
    }
    // μₜ = 1 / max(1, t − 1 − t₀): a copy through step t₀ + 2 = 4, then the running mean of iterates 4…8.
    let tail = iterates[3...], average = try #require(state.buffer(named: "average"))
    for i in 0..<2 {
      let mean = tail.map { $0[i] }.reduce(0, +) / Double(tail.count)
      #expect(abs(average.scalars[i] - mean) <= 1e-14 * max(1, abs(mean)), "average \(average.scalars[i]) vs mean \(mean)")
    }
  }

  @Test func novoGradRefusesAStateWithTheWrongNumberOfLeafMoments() {
    let rule = NovoGrad<M<Double>>()
    let model = M<Double>(weight: .zeros([2, 3]), bias: .zeros([2]))
    var state = rule.initialState(for: model)
    #expect(state.leafSecondMoments == [0, 0])
    state.leafSecondMoments = [0]
    #expect(throws: OptimiserError.self) { try rule.validate(state, for: model) }
    state.leafSecondMoments = [0, -1]
    #expect(throws: OptimiserError.self) { try rule.validate(state, for: model) }
  }

  @Test func clipBlockRMSBoundsEachLeafsRootMeanSquare() {
    typealias P = M<Double>
    let model = P(weight: .zeros([2, 2]), bias: .zeros([2]))
    var g = model.zeroTangentVector
    g[\.weight] = Tensor(shape: [2, 2], scalars: [3, -3, 3, -3])  // RMS 3: divided by 3 / 1.5 = 2
    g[\.bias] = Tensor([0.5, -0.5])  // RMS 0.5 ≤ 1.5: unchanged
    let rule = Chain(ClipBlockRMS(1.5), SGD<P>(learningRate: 1))
    var p = model
    var state = rule.initialState(for: p)
    rule.update(&state, &p, g)
    #expect(p.weight.scalars == [-1.5, 1.5, -1.5, 1.5])
    #expect(p.bias.scalars == [-0.5, 0.5])
  }
}
