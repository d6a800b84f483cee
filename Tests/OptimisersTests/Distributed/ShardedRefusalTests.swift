import Optimisers
import Testing

/// ``Sharded`` refuses a whole-model transform inside it, where it would see
/// one rank's share only, and accepts per-leaf transforms.
@Suite struct ShardedRefusalTests {
  typealias Group = LeafGroup<FourLeafModel>

  @Test func theGlobalClipAndTheNonFiniteSkipReadTheWholeModel() {
    func readsWholeModel(_ value: Any) -> Bool { value is any WholeModelReduction }
    #expect(readsWholeModel(ClipGlobalNorm(1)))
    #expect(readsWholeModel(SkipNonFinite(Adam<Group>())))
    #expect(!readsWholeModel(ClipNorm(1)))
    #expect(!readsWholeModel(LAMB<Group>()))
  }

  @Test func perLeafTransformsMayBeSharded() {
    var random = SplitMix64(seed: 3)
    let model = FourLeafModel.random(&random)
    let steps = InProcessCollective.run(ranks: 2) { c in
      Sharded(Chain(ClipNorm(1), WeightDecay(0.01), Adam<Group>()), over: c).initialState(for: model).rank
    }
    #expect(steps == [0, 1])
  }

  @Test func aClipNestedInAChainStops() async {
    await #expect(processExitsWith: .failure) {
      _ = InProcessCollective.run(ranks: 1) { c in Sharded(Chain(ClipGlobalNorm(1), Adam<Group>()), over: c).collective.rank }
    }
  }

  @Test func aSkipInsideAScheduleStops() async {
    await #expect(processExitsWith: .failure) {
      _ = InProcessCollective.run(ranks: 1) { c in
        Sharded(Scheduled(SkipNonFinite(Adam<Group>()), \.base.learningRate, by: Constant(value: 0.1)), over: c).collective.rank
      }
    }
  }
}
