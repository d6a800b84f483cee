import Optimisers

/// Builds the rules of the optimiser family (everything but the core four)
/// from a fixture case; see ``makeStepper(_:from:)``.
///
/// Options and hyperparameters use the Swift labels. A `null` hyperparameter
/// means "the reference's default", which the Swift default reproduces.
func makeFamilyStepper<P: Differentiable>(_ c: RuleCase, from initial: P) throws -> Stepper<P> {
  switch c.rule {
  case "RMSProp":
    let placement: RMSProp<P>.EpsilonPlacement
    switch try c.option("epsilonPlacement") {
    case "outside": placement = .outside
    case "inside": placement = .inside
    case let other: throw FixtureError.unknownOption("\(c.name): epsilonPlacement '\(other)'")
    }
    return stepper(
      RMSProp<P>(
        learningRate: try c.number("learningRate"), rho: try c.number("rho"), epsilon: try c.number("epsilon"),
        momentum: try c.number("momentum"), centred: try c.flag("centred"), epsilonPlacement: placement),
      from: initial)
  default:
    throw FixtureError.unknownRule(c.rule)
  }
}
