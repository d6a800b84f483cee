import Optimisers
import Testing

/// The sharding law over the whole catalogue: a ``Sharded`` step on N ranks of
/// the in-process collective is bitwise identical to the unsharded rule's
/// step, for N = 1…4, on every rank, over several steps.
@Suite struct ShardedLawTests {
  /// Rules that reduce over the whole model are refused by ``Sharded``.
  static let cases = RuleCatalogue.all.filter { !$0.readsWholeModel }.map(RuleCase.init)
  static let steps = 4

  @Test(arguments: cases) func shardedEqualsUnshardedBitwise(_ entry: RuleCase) {
    for trial in 0..<2 {
      var random = SplitMix64(seed: 0x5AAD_0000 &+ UInt64(trial))
      let model = FourLeafModel.random(&random)
      let gradients = (0..<Self.steps).map { _ in random.tangent(for: model) }
      var rules = random
      let reference = entry.rule.make(for: FourLeafModel.self, using: &rules)
      let expected = unsharded(reference, model, gradients)
      for ranks in 1...4 {
        var again = random
        let sharded = entry.rule.make(for: LeafGroup<FourLeafModel>.self, using: &again)
        let results = run(sharded, model, gradients, ranks: ranks)
        for (rank, result) in results.enumerated() {
          #expect(sameBits(result, expected), "\(entry.rule.name), \(ranks) ranks, rank \(rank), trial \(trial)")
        }
      }
    }
  }

  @Test(arguments: cases) func shardedEqualsUnshardedBitwiseInDouble(_ entry: RuleCase) {
    var random = SplitMix64(seed: 0x5AAD_D000)
    let model: AffineModel<Double> = random.affine()
    let gradients = (0..<Self.steps).map { _ in random.tangent(for: model) }
    var rules = random
    let expected = unsharded(entry.rule.make(for: AffineModel<Double>.self, using: &rules), model, gradients)
    for ranks in 1...4 {
      var again = random
      let sharded = entry.rule.make(for: LeafGroup<AffineModel<Double>>.self, using: &again)
      for result in run(sharded, model, gradients, ranks: ranks) {
        #expect(sameBits(result, expected), "\(entry.rule.name), \(ranks) ranks")
      }
    }
  }

  func unsharded<O: Optimiser>(_ rule: O, _ model: O.Params, _ gradients: [O.Params.TangentVector]) -> O.Params {
    var model = model
    var state = rule.initialState(for: model)
    for g in gradients { rule.update(&state, &model, g) }
    return model
  }

  func run<P: Differentiable, R: Optimiser>(
    _ rule: R, _ model: P, _ gradients: [P.TangentVector], ranks: Int
  ) -> [P] where R.Params == LeafGroup<P> {
    InProcessCollective.run(ranks: ranks) { collective in
      let optimiser = Sharded(rule, over: collective)
      var model = model
      var state = optimiser.initialState(for: model)
      for g in gradients { optimiser.update(&state, &model, g) }
      return model
    }
  }
}
