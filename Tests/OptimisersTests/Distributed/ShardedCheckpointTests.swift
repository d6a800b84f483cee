import Optimisers
import Testing

/// Checkpoints across world sizes: the consolidated checkpoint of N ranks is
/// the single process's checkpoint, and restores into any number of ranks.
@Suite struct ShardedCheckpointTests {
  /// Rules whose state is split by a ``Partition`` (Muon on the matrices,
  /// AdamW elsewhere): which leaves a group holds depends on the leaves, so
  /// the consolidation cannot find the per-piece arrays and refuses them.
  static let partitioned: Set<String> = ["Muon"]
  static let cases = RuleCatalogue.all.filter { !$0.readsWholeModel }.map(RuleCase.init)
    .filter { !partitioned.contains($0.rule.name) }
  static let partitionedCases = RuleCatalogue.all.map(RuleCase.init).filter { partitioned.contains($0.rule.name) }

  /// A partitioned rule's shards are refused with an error, never consolidated wrongly.
  @Test(arguments: partitionedCases) func partitionedStatesAreRefused(_ entry: RuleCase) {
    var random = SplitMix64(seed: 0xC0A5_0003)
    let model = FourLeafModel.random(&random)
    let gradients = (0..<2).map { _ in random.tangent(for: model) }
    let sharded = entry.rule.make(for: LeafGroup<FourLeafModel>.self, using: &random)
    #expect(throws: CheckpointError.self) { try save(sharded, model, gradients, ranks: 2) }
  }

  @Test(arguments: cases) func consolidatedEqualsSingleProcessAndReshards(_ entry: RuleCase) throws {
    var random = SplitMix64(seed: 0xC0A5_0001)
    let model = FourLeafModel.random(&random)
    let gradients = (0..<5).map { _ in random.tangent(for: model) }
    var rules = random
    let single = entry.rule.make(for: FourLeafModel.self, using: &rules)
    try check(single, entry, model, gradients, random)
  }

  func check<O: Optimiser>(
    _ single: O, _ entry: RuleCase, _ model: FourLeafModel, _ gradients: [FourLeafModel.TangentVector], _ random: SplitMix64
  ) throws where O.Params == FourLeafModel {
    // One process: 3 steps, the checkpoint, 2 more steps.
    var alone = model
    var state = single.initialState(for: alone)
    for g in gradients[..<3] { single.update(&state, &alone, g) }
    let expected = try single.checkpoint(state, for: alone, includingParameters: true)
    let midway = alone
    for g in gradients[3...] { single.update(&state, &alone, g) }

    var again = random
    let sharded = entry.rule.make(for: LeafGroup<FourLeafModel>.self, using: &again)
    for ranks in 1...4 {
      let checkpoints = try save(sharded, model, Array(gradients[..<3]), ranks: ranks)
      for checkpoint in checkpoints {
        #expect(checkpoint == expected, "\(entry.rule.name): \(ranks) ranks' consolidated checkpoint")
      }
    }
    // Restored into 1…4 ranks, two more steps end where the single process does.
    for ranks in 1...4 {
      for result in try resume(sharded, from: expected, midway, Array(gradients[3...]), ranks: ranks) {
        #expect(sameBits(result, alone), "\(entry.rule.name): resumed on \(ranks) ranks")
      }
    }
  }

  func save<R: Optimiser>(
    _ rule: R, _ model: FourLeafModel, _ gradients: [FourLeafModel.TangentVector], ranks: Int
  ) throws -> [Checkpoint] where R.Params == LeafGroup<FourLeafModel> {
    try InProcessCollective.run(ranks: ranks) { c -> Result<Checkpoint, CheckpointError> in
      let optimiser = Sharded(rule, over: c)
      var model = model
      var state = optimiser.initialState(for: model)
      for g in gradients { optimiser.update(&state, &model, g) }
      return Result { () throws(CheckpointError) in try optimiser.consolidatedCheckpoint(state, for: model, includingParameters: true) }
    }.map { try $0.get() }
  }

  func resume<R: Optimiser>(
    _ rule: R, from checkpoint: Checkpoint, _ model: FourLeafModel, _ gradients: [FourLeafModel.TangentVector], ranks: Int
  ) throws -> [FourLeafModel] where R.Params == LeafGroup<FourLeafModel> {
    try InProcessCollective.run(ranks: ranks) { c -> Result<FourLeafModel, CheckpointError> in
      Result { () throws(CheckpointError) in
        let optimiser = Sharded(rule, over: c)
        var model = model
        var state = try optimiser.restore(consolidated: checkpoint, for: model)
        for g in gradients { optimiser.update(&state, &model, g) }
        return model
      }
    }.map { try $0.get() }
  }

  @Test func restoringReportsWhatTheUnshardedRuleReports() throws {
    var random = SplitMix64(seed: 0xC0A5_0002)
    let model = FourLeafModel.random(&random)
    let adam = Adam<FourLeafModel>(learningRate: 0.01)
    let checkpoint = try adam.checkpoint(adam.initialState(for: model), for: model)
    // Another rule, another hyperparameter: the same errors as one process.
    let plain = (try? SGD<FourLeafModel>().restore(from: checkpoint, for: model)).map { _ in "" }
    #expect(plain == nil)
    let messages = InProcessCollective.run(ranks: 2) { c -> [String] in
      var found: [String] = []
      do { _ = try Sharded(SGD<LeafGroup<FourLeafModel>>(), over: c).restore(consolidated: checkpoint, for: model) } catch {
        found.append("\(error)")
      }
      do { _ = try Sharded(Adam<LeafGroup<FourLeafModel>>(learningRate: 0.02), over: c).restore(consolidated: checkpoint, for: model) } catch {
        found.append("\(error)")
      }
      return found
    }
    var expected: [String] = []
    do { _ = try SGD<FourLeafModel>().restore(from: checkpoint, for: model) } catch { expected.append("\(error)") }
    do { _ = try Adam<FourLeafModel>(learningRate: 0.02).restore(from: checkpoint, for: model) } catch { expected.append("\(error)") }
    #expect(expected.count == 2)
    for found in messages { #expect(found == expected) }
  }

  @Test func aRanksOwnShardRestoresOnlyOnThatRankOfThatManyRanks() throws {
    var random = SplitMix64(seed: 0xC0A5_0003)
    let model = FourLeafModel.random(&random)
    let shards = try InProcessCollective.run(ranks: 2) { c -> Result<Checkpoint, CheckpointError> in
      let optimiser = Sharded(Adam<LeafGroup<FourLeafModel>>(), over: c)
      return Result { () throws(CheckpointError) in try optimiser.checkpoint(optimiser.initialState(for: model), for: model) }
    }.map { try $0.get() }
    let outcomes = InProcessCollective.run(ranks: 2) { c -> [String?] in
      let optimiser = Sharded(Adam<LeafGroup<FourLeafModel>>(), over: c)
      return shards.map { shard -> String? in
        do { _ = try optimiser.restore(from: shard, for: model); return nil } catch { return "\(error)" }
      }
    }
    // Rank r loads shard r and refuses the other one, naming both ranks.
    for rank in 0..<2 {
      #expect(outcomes[rank][rank] == nil)
      let refused = try #require(outcomes[rank][1 - rank])
      #expect(refused.contains("rank \(1 - rank)'s of 2 ranks, but this is rank \(rank) of 2"), "\(refused)")
    }
    let onThree = InProcessCollective.run(ranks: 3) { c -> String? in
      do { _ = try Sharded(Adam<LeafGroup<FourLeafModel>>(), over: c).restore(from: shards[0], for: model); return nil } catch {
        return "\(error)"
      }
    }
    #expect(onThree[0]?.contains("consolidate it and re-shard") == true)
  }
}
