import Optimisers
import Testing

/// Results are bitwise identical whatever the number of threads used inside a
/// step: every catalogue rule, trained with 1, 2, 3, 4 and 8 threads and leaves
/// split into small blocks, ends with bitwise the same parameters and state.
@Suite struct ThreadCountTests {
  static let cases = RuleCatalogue.all.map(RuleCase.init)

  /// A model large enough to be split into many blocks.
  static func train<O: Optimiser>(_ optimiser: O, threads: Int) throws -> (AffineModel<Float>, StateTree)
  where O.Params == AffineModel<Float> {
    let parallelism = Parallelism(maximumThreads: threads, minimumParallelScalars: 0, blockScalars: 61)
    return try Parallelism.$current.withValue(parallelism) {
      var random = SplitMix64(seed: 0x7_4EAD)
      var model = AffineModel<Float>(weight: random.tensor([37, 29]), bias: random.tensor([37]))
      var state = optimiser.initialState(for: model)
      for _ in 0..<4 { optimiser.update(&state, &model, random.gradient(for: model)) }
      return (model, try StateTree(encoding: state))
    }
  }

  @Test(arguments: cases) func everyRuleIsBitwiseIdenticalForEveryThreadCount(_ entry: RuleCase) throws {
    var random = SplitMix64(seed: 0x7_4EAD_0001)
    try check(entry.rule.make(for: AffineModel<Float>.self, using: &random))
  }

  @Test func wrappersAreBitwiseIdenticalForEveryThreadCount() throws {
    typealias Model = AffineModel<Float>
    try check(Chain(ClipGlobalNorm(0.5), WeightDecay(1e-3), Adam<Model>(learningRate: 0.01)))
    try check(SkipNonFinite(Chain(ClipValue(0.1), Momentum<Model>(learningRate: 0.01)), policy: .skip))
    try check(Lookahead(LAMB<Model>(learningRate: 0.01), syncPeriod: 2, slowStepSize: 0.5))
    try check(ExponentialMovingAverage(Accumulate(every: 2, Adafactor<Model>()), decay: 0.9))
    try check(Scheduled(Adam<Model>(learningRate: 0.1), \.learningRate, by: CosineDecay(initial: 0.1, decaySteps: 3)))
  }

  func check<O: Optimiser>(_ optimiser: O) throws where O.Params == AffineModel<Float> {
    let (reference, referenceState) = try Self.train(optimiser, threads: 1)
    for threads in [2, 3, 4, 8] {
      let (model, state) = try Self.train(optimiser, threads: threads)
      #expect(model.parametersBitwiseEqual(reference), "\(O.self): \(threads) threads give other parameters")
      #expect(state == referenceState, "\(O.self): \(threads) threads give another state")
    }
  }
}
