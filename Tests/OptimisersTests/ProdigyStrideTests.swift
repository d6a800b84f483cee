import Optimisers
import Testing

/// ``Prodigy/statisticsStride`` (prodigyopt's `slice_p`) beyond its reference
/// trajectories (`RecentRuleFixtureTests`).
@Suite struct ProdigyStrideTests {
  @Test func aStrideBelowOneOrWithOptaxIsRejected() {
    #expect(throws: OptimiserError.self) {
      var rule = Prodigy<Tensor<Double>>()
      rule.statisticsStride = 0
      try rule.validateHyperparameters()
    }
    #expect(throws: OptimiserError.self) {
      var rule = Prodigy<Tensor<Double>>.optax()
      rule.statisticsStride = 2
      try rule.validateHyperparameters()
    }
  }

  /// The default stride is left out of the checkpoint description (old
  /// checkpoints still load); another stride is recorded, so a state saved
  /// with it is refused by a rule with stride 1.
  @Test func onlyANonDefaultStrideIsDescribed() throws {
    let plain = OptimiserDescription(describing: Prodigy<Tensor<Double>>())
    let sliced = OptimiserDescription(describing: Prodigy<Tensor<Double>>(statisticsStride: 3))
    #expect(!"\(plain)".contains("statisticsStride") && "\(sliced)".contains("statisticsStride"))
    let p = Tensor<Double>([1, 2, 3, 4])
    let rule = Prodigy<Tensor<Double>>(statisticsStride: 3)
    let checkpoint = try rule.checkpoint(rule.initialState(for: p), for: p, includingParameters: false)
    #expect(throws: (any Error).self) { _ = try Prodigy<Tensor<Double>>().restore(from: checkpoint, for: p) }
  }
}
