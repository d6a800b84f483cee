import Optimisers

/// Builds the matrix rules (Muon) from a fixture case; the last resort of
/// ``makeFamilyStepper(_:from:)``.
///
/// A case with the option `partition` = `nadam-optax` trains its matrices with
/// Muon and every other leaf with `NAdam(variant: .optax)`, as
/// `optax.contrib.muon` does (its AdamW with Nesterov momentum and no decay).
func makeMatrixRuleStepper<P: Differentiable>(_ c: FixtureCase, from initial: P) throws -> Stepper<P> {
  switch c.rule {
  case "Muon":
    guard let adjustment = Muon<P>.LearningRateAdjustment(rawValue: try c.option("adjustment")) else {
      throw FixtureError.unknownOption("\(c.name): adjustment")
    }
    func muon<Q>(_: Q.Type) throws -> Muon<Q> {
      Muon<Q>(
        learningRate: try c.number("learningRate"), momentum: try c.number("momentum"), nesterov: try c.flag("nesterov"),
        weightDecay: try c.number("weightDecay"), epsilon: try c.optionalNumber("epsilon"),
        steps: Int(try c.number("steps")), adjustment: Muon<Q>.LearningRateAdjustment(rawValue: adjustment.rawValue)!,
        variant: try referenceVariant(c))
    }
    if c.options["partition"] == "nadam-optax" {
      let rest = NAdam<LeafGroup<P>>(
        learningRate: try c.number("learningRate"), epsilon: try c.optionalNumber("epsilon") ?? 1e-8, variant: .optax)
      return stepper(Partition<P, _, _>(try muon(LeafGroup<P>.self), for: .matrices, otherwise: rest), from: initial)
    }
    return stepper(try muon(P.self), from: initial)
  default:
    throw FixtureError.unknownRule(c.rule)
  }
}
