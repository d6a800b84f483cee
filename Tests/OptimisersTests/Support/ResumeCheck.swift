import Foundation
import OptimiserLaws
import Optimisers
import Testing

/// Trains `model` for three steps, saves the state both ways (a binary
/// `Checkpoint` and the state's own JSON), then checks that both resumed runs
/// stay bitwise identical to the uninterrupted one for `steps` more steps, and
/// that decoding fuzzed checkpoints never goes wrong silently.
func expectResumesBitExactlyFromBothFormats<Rule: Optimiser>(
  _ rule: Rule, _ model: Rule.Params, steps: Int, random: inout SplitMix64,
  gradient: (inout SplitMix64) -> Rule.Params.TangentVector
) throws {
  var model = model
  var state = rule.initialState(for: model)
  for _ in 0..<3 { rule.update(&state, &model, gradient(&random)) }
  let checkpoint = try rule.checkpoint(state, for: model, includingParameters: true)
  #expect(checkpoint.optimiser == OptimiserDescription(describing: rule))
  var fromBinary = try rule.restore(from: Checkpoint(decoding: checkpoint.encoded()), for: model)
  var fromJSON = try JSONDecoder().decode(Rule.State.self, from: JSONEncoder().encode(state))
  var (a, b, c) = (model, model, model)
  for _ in 0..<steps {
    let g = gradient(&random)
    rule.update(&state, &a, g)
    rule.update(&fromBinary, &b, g)
    rule.update(&fromJSON, &c, g)
  }
  #expect(b.parametersBitwiseEqual(a) && c.parametersBitwiseEqual(a))
  #expect(try StateTree(encoding: fromBinary) == StateTree(encoding: state))
  #expect(try StateTree(encoding: fromJSON) == StateTree(encoding: state))
  let report = DecodingFuzzer.fuzz(rule, state: state, parameters: model, cases: 200, seed: random.next())
  #expect(report.problems.isEmpty, "\(report)")
}
