import Optimisers

/// Builds the rules of the optimiser family (everything but the core four)
/// from a fixture case; see ``makeStepper(_:from:)``.
///
/// Options and hyperparameters use the Swift labels. A `null` hyperparameter
/// means "the reference's default", which the Swift default reproduces.
func makeFamilyStepper<P: Differentiable>(_ c: FixtureCase, from initial: P) throws -> Stepper<P> {
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
  case "AdaGrad":
    return stepper(
      AdaGrad<P>(
        learningRate: try c.number("learningRate"), learningRateDecay: try c.number("learningRateDecay"),
        initialAccumulatorValue: try c.number("initialAccumulatorValue"), epsilon: try c.number("epsilon")),
      from: initial)
  case "AdaDelta":
    return stepper(
      AdaDelta<P>(learningRate: try c.number("learningRate"), rho: try c.number("rho"), epsilon: try c.number("epsilon")),
      from: initial)
  case "AdaMax":
    let placement: AdaMax<P>.EpsilonPlacement
    switch try c.option("epsilonPlacement") {
    case "insideMax": placement = .insideMax
    case "outside": placement = .outside
    case let other: throw FixtureError.unknownOption("\(c.name): epsilonPlacement '\(other)'")
    }
    return stepper(
      AdaMax<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        epsilon: try c.number("epsilon"), epsilonPlacement: placement),
      from: initial)
  case "AMSGrad":
    return stepper(
      AMSGrad<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        epsilon: try c.number("epsilon"), variant: try referenceVariant(c)),
      from: initial)
  case "NAdam":
    return stepper(
      NAdam<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        epsilon: try c.number("epsilon"), momentumDecay: try c.optionalNumber("momentumDecay") ?? 0.004,
        variant: try referenceVariant(c)),
      from: initial)
  case "AdamW":
    return stepper(
      AdamW<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        epsilon: try c.number("epsilon"), weightDecay: try c.number("weightDecay")),
      from: initial)
  case "RAdam":
    return stepper(
      RAdam<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        epsilon: try c.number("epsilon"), threshold: try c.number("threshold"), variant: try referenceVariant(c)),
      from: initial)
  case "Rprop":
    return stepper(
      Rprop<P>(
        learningRate: try c.number("learningRate"), etaMinus: try c.number("etaMinus"),
        etaPlus: try c.number("etaPlus"), minimumStep: try c.number("minimumStep"),
        maximumStep: try c.number("maximumStep")),
      from: initial)
  case "AdaBelief":
    return stepper(
      AdaBelief<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        epsilon: try c.number("epsilon"), epsilonRoot: try c.number("epsilonRoot")),
      from: initial)
  case "Lion":
    return stepper(
      Lion<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        weightDecay: try c.number("weightDecay")),
      from: initial)
  case "Signum":
    return stepper(
      Signum<P>(learningRate: try c.number("learningRate"), momentum: try c.number("momentum")), from: initial)
  case "Yogi":
    return stepper(
      Yogi<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        epsilon: try c.number("epsilon"), initialAccumulator: try c.number("initialAccumulator")),
      from: initial)
  case "OAdam":
    let nesterov: Bool
    switch try c.option("nesterov") {
    case "true": nesterov = true
    case "false": nesterov = false
    case let other: throw FixtureError.unknownOption("\(c.name): nesterov '\(other)'")
    }
    return stepper(
      OAdam<P>(
        learningRate: try c.number("learningRate"), optimism: try c.optionalNumber("optimism"),
        beta1: try c.number("beta1"), beta2: try c.number("beta2"), epsilon: try c.number("epsilon"),
        nesterov: nesterov),
      from: initial)
  case "LAMB":
    return stepper(
      LAMB<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        epsilon: try c.number("epsilon"), weightDecay: try c.number("weightDecay")),
      from: initial)
  case "LARS":
    return stepper(
      LARS<P>(
        learningRate: try c.number("learningRate"), weightDecay: try c.number("weightDecay"),
        trustCoefficient: try c.number("trustCoefficient"), epsilon: try c.number("epsilon"),
        momentum: try c.number("momentum"), nesterov: try c.flag("nesterov")),
      from: initial)
  case "Adafactor":
    let variant: Adafactor<P>.Variant = try referenceVariant(c)
    switch variant {
    case .pytorch:
      return stepper(
        Adafactor<P>(
          learningRate: try c.number("learningRate"), decayRate: -(try c.number("beta2Decay")),
          epsilon1: try c.optionalNumber("epsilon1"), epsilon2: try c.number("epsilon2"),
          clippingThreshold: try c.number("clippingThreshold"), weightDecay: try c.number("weightDecay"),
          variant: .pytorch),
        from: initial)
    case .optax:
      return stepper(
        Adafactor<P>(
          learningRate: try c.optionalNumber("learningRate"), decayRate: try c.number("decayRate"),
          decayOffset: Int(try c.number("decayOffset")), epsilon1: try c.number("epsilon"),
          clippingThreshold: try c.optionalNumber("clippingThreshold"),
          multiplyByParameterScale: try c.flag("multiplyByParameterScale"), momentum: try c.optionalNumber("momentum"),
          weightDecay: try c.optionalNumber("weightDecayRate") ?? 0, factored: try c.flag("factored"),
          minimumSizeToFactor: Int(try c.number("minDimSizeToFactor")), variant: .optax),
        from: initial)
    }
  default:
    return try makeMatrixRuleStepper(c, from: initial)
  }
}

/// A rule's `Variant` enum read from the case's `variant` option (`pytorch` or
/// `optax`), through the enum's raw value.
func referenceVariant<V: RawRepresentable<String>>(_ c: FixtureCase) throws -> V {
  let name = try c.option("variant")
  guard let variant = V(rawValue: name) else {
    throw FixtureError.unknownOption("\(c.name): variant '\(name)'")
  }
  return variant
}
