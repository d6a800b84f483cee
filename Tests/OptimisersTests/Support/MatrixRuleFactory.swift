import Optimisers

/// Builds the matrix rules (Muon, SOAP) from a fixture case; the last resort of
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
  case "SOAP":
    return stepper(
      SOAP<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        shampooBeta: try c.optionalNumber("shampooBeta"), weightDecay: try c.number("weightDecay"),
        preconditionFrequency: Int(try c.number("preconditionFrequency")),
        maximumPreconditionDimension: Int(try c.number("maximumPreconditionDimension")),
        preconditionVectors: try c.flag("preconditionVectors"), biasCorrection: try c.flag("biasCorrection"),
        normaliseUpdate: try c.flag("normaliseUpdate"), epsilon: try c.number("epsilon")), from: initial)
  default:
    throw FixtureError.unknownRule(c.rule)
  }
}
