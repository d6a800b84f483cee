import Foundation
import OptimiserLaws
import Optimisers
import Testing

/// Every rule in ``RuleCatalogue`` through the law kit (`OptimiserLaws`), on a
/// two-leaf model, in `Float` and `Double`, with random hyperparameters, resuming
/// through JSON and through the binary checkpoint encoding. Complements
/// `RuleLawTests`, which states the same laws by hand.
@Suite struct RuleCatalogueLawKitTests {
  static let cases = RuleCatalogue.all.map(RuleCase.init)

  static func laws(for rule: any CatalogueRule.Type) -> Set<Law> {
    var laws = Law.all
    if !rule.zeroGradientIsFixedPoint { laws.remove(.zeroGradientFixedPoint) }
    if rule.couplesLeaves { laws.remove(.leafIndependence) }
    return laws
  }

  @Test(arguments: cases) func catalogueRulePassesTheLawKit(_ entry: RuleCase) {
    check(entry.rule, Float.self)
    check(entry.rule, Double.self)
  }

  func check<S: ParameterScalar>(_ rule: any CatalogueRule.Type, _: S.Type) {
    var random = SplitMix64(seed: 0x1A35_0001)
    for draw in 0..<3 {
      let optimiser = rule.make(for: AffineModel<S>.self, using: &random)
      let configuration = LawConfiguration(seed: random.next(), trials: 8)
      let report = draw == 0
        ? checkThroughJSON(optimiser, laws: Self.laws(for: rule), configuration)
        : checkThroughCheckpoints(optimiser, laws: Self.laws(for: rule), configuration)
      #expect(report.passed, "\(rule.name) (\(S.self)): \(report)")
      #expect(Set(report.checked) == Self.laws(for: rule))
    }
  }

  func checkThroughCheckpoints<O: Optimiser, S: ParameterScalar>(
    _ optimiser: O, laws: Set<Law>, _ configuration: LawConfiguration
  ) -> LawReport where O.Params == AffineModel<S> {
    OptimiserLaws.check(
      optimiser, parameters: .model(AffineModel<S>(weight: .zeros([3, 4]), bias: .zeros([3]))),
      laws: laws, configuration: configuration)
  }

  func checkThroughJSON<O: Optimiser, S: ParameterScalar>(
    _ optimiser: O, laws: Set<Law>, _ configuration: LawConfiguration
  ) -> LawReport where O.Params == AffineModel<S> {
    OptimiserLaws.check(
      optimiser, parameters: .model(AffineModel<S>(weight: .zeros([2, 5]), bias: .zeros([2]))),
      laws: laws, configuration: configuration,
      encode: { try Array(JSONEncoder().encode($0)) },
      decode: { try JSONDecoder().decode(O.State.self, from: Data($0)) })
  }
}
