import Optimisers
import Testing

/// ``DataParallel`` steps with the rank-order mean of the ranks' gradients, the
/// same bits on every rank, and composes with the wrappers around and inside it.
@Suite struct DataParallelTests {
  typealias Model = FourLeafModel

  /// Per rank, per step: different gradients on every rank.
  static func gradients(_ model: Model, ranks: Int, steps: Int, seed: UInt64) -> [[Model.TangentVector]] {
    var random = SplitMix64(seed: seed)
    return (0..<ranks).map { _ in (0..<steps).map { _ in random.tangent(for: model) } }
  }

  static func means(_ gradients: [[Model.TangentVector]]) -> [Model.TangentVector] {
    (0..<gradients[0].count).map { step in rankOrderMean(gradients.map { $0[step] }) }
  }

  static func reference<O: Optimiser>(_ rule: O, _ model: Model, _ gradients: [Model.TangentVector]) -> Model
  where O.Params == Model {
    var model = model
    var state = rule.initialState(for: model)
    for g in gradients { rule.update(&state, &model, g) }
    return model
  }

  static func distributed<O: Optimiser>(
    _ ranks: Int, _ model: Model, _ gradients: [[Model.TangentVector]],
    _ make: @Sendable (InProcessCollective) -> O
  ) -> [Model] where O.Params == Model {
    InProcessCollective.run(ranks: ranks) { c in
      let optimiser = make(c)
      var model = model
      var state = optimiser.initialState(for: model)
      for g in gradients[c.rank] { optimiser.update(&state, &model, g) }
      return model
    }
  }

  @Test(arguments: 1...4) func stepsWithTheMeanGradient(_ ranks: Int) {
    var random = SplitMix64(seed: 0xDA7A_0001)
    let model = Model.random(&random)
    let gradients = Self.gradients(model, ranks: ranks, steps: 3, seed: 0xDA7A_0002)
    let expected = Self.reference(Adam<Model>(learningRate: 0.01), model, Self.means(gradients))
    for buckets in [1, 3, 100] {
      let results = Self.distributed(ranks, model, gradients) {
        DataParallel(Adam<Model>(learningRate: 0.01), over: $0, buckets: buckets)
      }
      for result in results { #expect(sameBits(result, expected), "\(ranks) ranks, \(buckets) buckets") }
    }
  }

  @Test(arguments: 2...4) func clippedShardedAdamEqualsClippedAdam(_ ranks: Int) {
    // The global norm is taken outside the sharded rule, from the averaged
    // gradient every rank holds.
    var random = SplitMix64(seed: 0xDA7A_0003)
    let model = Model.random(&random)
    let gradients = Self.gradients(model, ranks: ranks, steps: 3, seed: 0xDA7A_0004)
    let expected = Self.reference(
      Chain(ClipGlobalNorm(0.5), WeightDecay(0.01), Adam<Model>(learningRate: 0.01)), model, Self.means(gradients))
    let results = Self.distributed(ranks, model, gradients) { c in
      DataParallel(Chain(ClipGlobalNorm(0.5), WeightDecay(0.01), Sharded(Adam(learningRate: 0.01), over: c)), over: c)
    }
    for result in results { #expect(sameBits(result, expected)) }
  }

  @Test(arguments: 2...4) func scheduledAccumulatedShardedLAMB(_ ranks: Int) {
    var random = SplitMix64(seed: 0xDA7A_0005)
    let model = Model.random(&random)
    let gradients = Self.gradients(model, ranks: ranks, steps: 4, seed: 0xDA7A_0006)
    let schedule = CosineDecay(initial: 0.01, decaySteps: 10)
    let expected = Self.reference(
      Accumulate(every: 2, Scheduled(LAMB<Model>(), \.learningRate, by: schedule)), model, Self.means(gradients))
    // Averaging every micro-step: the accumulator sums the same means.
    let inside = Self.distributed(ranks, model, gradients) { c in
      DataParallel(Accumulate(every: 2, Scheduled(Sharded(LAMB(), over: c), \.rule.learningRate, by: schedule)), over: c)
    }
    for result in inside { #expect(sameBits(result, expected)) }
    // Averaging once per accumulated step: each rank accumulates its own
    // gradients first, so the sums are rounded in another order; every rank
    // still gets the same bits.
    let outside = Self.distributed(ranks, model, gradients) { c in
      Accumulate(every: 2, DataParallel(Scheduled(Sharded(LAMB(), over: c), \.rule.learningRate, by: schedule), over: c))
    }
    for result in outside {
      #expect(sameBits(result, outside[0]))
      let difference = zip(result.flattenedParameters, expected.flattenedParameters).map { abs($0 - $1) }.max()!
      #expect(difference < 1e-5 && difference > 0, "\(difference)")
    }
  }

  @Test func aNonFiniteGradientOnOneRankSkipsTheStepOnEveryRank() {
    var random = SplitMix64(seed: 0xDA7A_0007)
    let model = Model.random(&random)
    var gradients = Self.gradients(model, ranks: 3, steps: 2, seed: 0xDA7A_0008)
    gradients[2][1].withMutableLeaf(at: 1) { $0[0] = .nan }
    let poisoned = gradients
    let results = InProcessCollective.run(ranks: 3) { c -> (Model, Int, Int) in
      let optimiser = DataParallel(SkipNonFinite(Sharded(Adam<LeafGroup<Model>>(learningRate: 0.01), over: c)), over: c)
      var model = model
      var state = optimiser.initialState(for: model)
      for g in poisoned[c.rank] { optimiser.update(&state, &model, g) }
      return (model, state.nonFiniteSteps, state.base.shard.step)
    }
    let afterFirst = Self.reference(Adam<Model>(learningRate: 0.01), model, [Self.means(gradients)[0]])
    for (rank, (result, skipped, step)) in results.enumerated() {
      #expect(skipped == 1, "rank \(rank)")
      #expect(step == 1, "rank \(rank)")
      #expect(sameBits(result, afterFirst), "rank \(rank)")
    }
  }

  @Test func shardedStateIsAboutOneNthOfTheUnsharded() {
    var random = SplitMix64(seed: 0xDA7A_0009)
    let model = Model.random(&random)  // 24 + 4 + 12 + 3 = 43 scalars
    let shares = InProcessCollective.run(ranks: 4) { c -> Int in
      let state = Sharded(Adam<LeafGroup<Model>>(), over: c).initialState(for: model)
      return state.shard.firstMoment.leaves.reduce(0) { $0 + $1.scalarCount }
    }
    #expect(shares == [10, 11, 11, 11])
  }
}
