import OptimiserLaws
import Optimisers
import Testing

/// The 8-bit rules: they train as the 32-bit rules do, are independent of the
/// thread count, resume bit-exactly from checkpoints and pass the law kit.
@Suite struct QuantisedRuleTests {
  @Test func eightBitAdamTrainsToTheAccuracyOfAdam() {
    let problem = LogisticProblem()
    let reference = problem.train(Adam<Tensor<Float>>(learningRate: 0.05))
    #expect(reference > 0.85)
    let eightBit = problem.train(Quantised(Adam<Tensor<Float>>(learningRate: 0.05)))
    let bf16 = problem.train(Quantised(Adam<Tensor<BFloat16>>(learningRate: 0.05), rounding: .stochastic(seed: 3)))
    let mixed = problem.train(MixedPrecision(Adam(learningRate: 0.05), parameters: Tensor<BFloat16>.self))
    let others = [
      problem.train(Quantised(AdamW<Tensor<Float>>(learningRate: 0.05, weightDecay: 0.01))),
      problem.train(Quantised(Lion<Tensor<Float>>(learningRate: 0.005))),
      problem.train(Quantised(Momentum<Tensor<Float>>(learningRate: 0.5))),
    ]
    for accuracy in [eightBit, bf16, mixed] + others { #expect(accuracy >= reference - 0.02, "\(accuracy) vs \(reference)") }
  }

  @Test func eightBitAdamStaysCloseToAdam() {
    // Same gradients, 50 steps: the quantised moments move the weights as the
    // exact ones do, to within 30% of the distance travelled (elements far below their
    // block's largest keep about two significant digits).
    let problem = LogisticProblem()
    let exact = Adam<Tensor<Float>>(learningRate: 0.01), eightBit = Quantised(exact)
    var (p, q) = (Tensor<Float>(repeating: 0, shape: [10]), Tensor<Float>(repeating: 0, shape: [10]))
    var (s, t) = (exact.initialState(for: p), eightBit.initialState(for: q))
    for _ in 0..<50 {
      let g = problem.gradient(at: p)
      exact.update(&s, &p, g)
      eightBit.update(&t, &q, g)
    }
    let travelled = p.scalars.map(abs).max()!, difference = zip(p.scalars, q.scalars).map { abs($0 - $1) }.max()!
    #expect(travelled > 0.3 && difference < 0.3 * travelled, "\(difference) of \(travelled)")
  }

  func large<S: ParameterScalar>(_: S.Type) -> (Tensor<S>, Tensor<S>) {
    var random = SplitMix64(seed: 8)
    let n = 3 * 16384 + 300
    let p = Tensor<S>(shape: [n], scalars: (0..<n).map { _ in S(random.nextStandardNormal()) })
    let g = Tensor<S>(shape: [n], scalars: (0..<n).map { _ in S(random.nextStandardNormal() * 0.1) })
    return (p, g)
  }

  func run<O: Optimiser>(_ optimiser: O, _ p: O.Params, _ g: O.Params.TangentVector, threads: Int) -> (O.State, O.Params) {
    Parallelism.$current.withValue(Parallelism(maximumThreads: threads, minimumParallelScalars: 0, blockScalars: 1000)) {
      var (state, params) = (optimiser.initialState(for: p), p)
      for _ in 0..<3 { optimiser.update(&state, &params, g) }
      return (state, params)
    }
  }

  @Test func resultsDoNotDependOnTheThreadCount() {
    let (p, g) = large(BFloat16.self)
    let optimiser = Quantised(Adam<Tensor<BFloat16>>(), rounding: .stochastic(seed: 11))
    let one = run(optimiser, p, g, threads: 1), two = run(optimiser, p, g, threads: 2), four = run(optimiser, p, g, threads: 4)
    #expect(one.0 == two.0 && one.0 == four.0)
    #expect(one.1.parametersBitwiseEqual(two.1) && one.1.parametersBitwiseEqual(four.1))
    let (pf, gf) = large(Float.self)
    let lion = Quantised(Lion<Tensor<Float>>())
    #expect(run(lion, pf, gf, threads: 1).0 == run(lion, pf, gf, threads: 2).0)
  }

  @Test func stateUsesAboutOneBytePerValue() {
    let (p, _) = large(Float.self)
    let state = Quantised(Adam<Tensor<Float>>()).initialState(for: p)
    #expect(state.byteCount == 2 * (p.scalarCount + 4 * ((p.scalarCount + 255) / 256)))
  }

  @Test func checkpointsResumeBitExactly() throws {
    let (p0, g) = large(BFloat16.self)
    let optimiser = Quantised(AdamW<Tensor<BFloat16>>(), rounding: .stochastic(seed: 2))
    var (state, p) = (optimiser.initialState(for: p0), p0)
    for _ in 0..<2 { optimiser.update(&state, &p, g) }
    let checkpoint = try optimiser.checkpoint(state, for: p)
    var resumed = try optimiser.restore(from: checkpoint, for: p)
    #expect(resumed == state)
    var q = p
    optimiser.update(&state, &p, g)
    optimiser.update(&resumed, &q, g)
    #expect(resumed == state && p.parametersBitwiseEqual(q))
    let lion = Quantised(Lion<Tensor<BFloat16>>())
    #expect(throws: (any Error).self) { try lion.restore(from: checkpoint, for: p) }
  }

  @Test func aStateForOtherParametersIsRejected() {
    let optimiser = Quantised(Adam<Tensor<Float>>())
    let state = optimiser.initialState(for: Tensor<Float>(repeating: 0, shape: [4]))
    #expect(throws: OptimiserError.self) { try optimiser.validate(state, for: Tensor<Float>(repeating: 0, shape: [5])) }
    var noSecond = state
    noSecond.secondMoment = nil
    #expect(throws: OptimiserError.self) { try optimiser.validate(noSecond, for: Tensor<Float>(repeating: 0, shape: [4])) }
  }

  @Test func aNonFiniteGradientPoisonsOnlyItsBlock() {
    let optimiser = Quantised(Adam<Tensor<Float>>())
    var p = Tensor<Float>(repeating: 1, shape: [600])
    var state = optimiser.initialState(for: p)
    var g = [Float](repeating: 0.5, count: 600)
    g[300] = .nan
    optimiser.update(&state, &p, Tensor(shape: [600], scalars: g))
    #expect(p.scalars[300].isNaN && p.scalars[299].isFinite)
    // The block's scale is now NaN: the next step spreads it through the block.
    optimiser.update(&state, &p, Tensor(repeating: 0.5, shape: [600]))
    let values = p.scalars
    #expect(values[256..<512].allSatisfy { $0.isNaN })
    #expect(values[0..<256].allSatisfy { $0.isFinite } && values[512...].allSatisfy { $0.isFinite })
  }

  @Test func everyConfigurationPassesTheLawKit() {
    let configuration = LawConfiguration(seed: 0x8B17, trials: 6)
    let reports = [
      OptimiserLaws.check(Quantised(Adam<Tensor<Float>>()), parameters: .tensor(shape: [3, 100]), configuration: configuration),
      OptimiserLaws.check(
        Quantised(Adam<Tensor<BFloat16>>(), rounding: .stochastic(seed: 4)), parameters: .tensor(shape: [300]),
        configuration: configuration),
      OptimiserLaws.check(Quantised(AdamW<Tensor<Float16>>()), parameters: .tensor(shape: [7]), configuration: configuration),
      OptimiserLaws.check(Quantised(Lion<Tensor<Float>>()), parameters: .tensor(shape: [5, 60]), configuration: configuration),
      OptimiserLaws.check(Quantised(Momentum<Tensor<Double>>()), parameters: .tensor(shape: [9]), configuration: configuration),
      OptimiserLaws.check(
        MixedPrecision(Adam(), parameters: Tensor<BFloat16>.self, rounding: .stochastic(seed: 1)),
        parameters: .tensor(shape: [4, 5]), configuration: configuration),
      OptimiserLaws.check(
        MixedPrecision(Lion(), parameters: Tensor<Float16>.self, lossScale: DynamicLossScale(initialScale: 8)),
        parameters: .tensor(shape: [6]), configuration: configuration),
    ]
    for report in reports { #expect(report.passed, "\(report)") }
  }
}
