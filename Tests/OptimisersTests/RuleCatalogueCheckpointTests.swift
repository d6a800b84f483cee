import OptimiserLaws
import Optimisers
import Testing

/// Every catalogue rule's state through a full checkpoint (description, leaves,
/// binary encoding) and through the decoding fuzzer.
@Suite struct RuleCatalogueCheckpointTests {
  static let cases = RuleCatalogue.all.map(RuleCase.init)

  @Test(arguments: cases) func checkpointRoundTripAndFuzz(_ entry: RuleCase) throws {
    var random = SplitMix64(seed: 0xC4EC_0001)
    let optimiser = entry.rule.make(for: AffineModel<Float>.self, using: &random)
    try check(optimiser, &random, describesItselfWithoutState: entry.rule.describesItselfWithoutState)
  }

  func check<O: Optimiser>(
    _ optimiser: O, _ random: inout SplitMix64, describesItselfWithoutState: Bool = true
  ) throws where O.Params == AffineModel<Float> {
    var model: AffineModel<Float> = random.affine()
    var state = optimiser.initialState(for: model)
    for _ in 0..<3 { optimiser.update(&state, &model, random.gradient(for: model)) }

    let checkpoint = try optimiser.checkpoint(state, for: model, includingParameters: true)
    if describesItselfWithoutState {
      #expect(checkpoint.optimiser == OptimiserDescription(describing: optimiser))
      #expect(checkpoint.optimiser?.hyperparameters.isEmpty == false, "\(O.self) recorded no hyperparameters")
    }
    let decoded = try Checkpoint(decoding: checkpoint.encoded())
    let restored = try optimiser.restore(from: decoded, for: model)
    #expect(try StateTree(encoding: restored) == StateTree(encoding: state), "\(O.self)")
    // Restoring into another rule names both.
    let other = SGD<AffineModel<Float>>(learningRate: 0.1)
    if checkpoint.optimiser?.name != "SGD" {
      #expect(throws: CheckpointError.self) { try other.restore(from: decoded, for: model) }
    }

    let report = DecodingFuzzer.fuzz(optimiser, state: state, parameters: model, cases: 400, seed: random.next())
    #expect(report.problems.isEmpty, "\(O.self): \(report)")
    #expect(report.rejected + report.loaded == 400)
  }
}
