import Optimisers

/// Builds the rules added for issue 14 (`recent_rules.json`) from a fixture
/// case; see ``makeStepper(_:from:)``. `record`, when given, receives the
/// Schedule-Free rules' evaluation parameters after every step, flattened per leaf.
func makeRecentStepper<P: Differentiable>(
  _ c: FixtureCase, from initial: P, record: (([[Double]]) -> Void)? = nil
) throws -> Stepper<P> {
  switch c.rule {
  case "ScheduleFreeAdamW":
    let rule = ScheduleFreeAdamW<P>(
      learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
      epsilon: try c.number("epsilon"), weightDecay: try c.number("weightDecay"),
      warmupSteps: Int(try c.number("warmupSteps")), stepPower: try c.number("stepPower"),
      weightLearningRatePower: try c.number("weightLearningRatePower"), variant: try referenceVariant(c))
    return recordingStepper(rule, from: initial, evaluation: rule.evaluationParameters, record: record)
  case "ScheduleFreeSGD":
    let rule = ScheduleFreeSGD<P>(
      learningRate: try c.number("learningRate"), momentum: try c.number("momentum"),
      weightDecay: try c.number("weightDecay"), warmupSteps: Int(try c.number("warmupSteps")),
      stepPower: try c.number("stepPower"), weightLearningRatePower: try c.number("weightLearningRatePower"),
      variant: try referenceVariant(c))
    return recordingStepper(rule, from: initial, evaluation: rule.evaluationParameters, record: record)
  case "ADOPT":
    return stepper(
      ADOPT<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        epsilon: try c.number("epsilon"), clipExponent: try c.optionalNumber("clipExponent"),
        nesterov: try c.flag("nesterov"), variant: try referenceVariant(c)), from: initial)
  case "Adan":
    return stepper(
      Adan<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        beta3: try c.number("beta3"), epsilon: try c.number("epsilon"), epsilonRoot: try c.number("epsilonRoot"),
        weightDecay: try c.number("weightDecay")), from: initial)
  case "AdEMAMix":
    return stepper(
      AdEMAMix<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        beta3: try c.number("beta3"), alpha: try c.number("alpha"), epsilon: try c.number("epsilon"),
        weightDecay: try c.number("weightDecay"), warmupSteps: try c.optionalNumber("warmupSteps")), from: initial)
  case "Cautious":
    switch try c.option("base") {
    case "ADOPT":
      return stepper(
        Cautious(
          ADOPT<P>(
            learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
            epsilon: try c.number("epsilon"), clipExponent: try c.optionalNumber("clipExponent"),
            variant: try referenceVariant(c))), from: initial)
    case "Lion":
      return stepper(
        Cautious(
          Lion<P>(
            learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
            weightDecay: try c.number("weightDecay"))), from: initial)
    case let other: throw FixtureError.unknownOption("\(c.name): base '\(other)'")
    }
  case "Prodigy":
    return stepper(
      Prodigy<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        beta3: try c.optionalNumber("beta3"), epsilon: try c.number("epsilon"), weightDecay: try c.number("weightDecay"),
        decoupledWeightDecay: try c.flag("decoupledWeightDecay"), biasCorrection: try c.flag("biasCorrection"),
        safeguardWarmup: try c.flag("safeguardWarmup"), initialEstimate: try c.number("initialEstimate"),
        estimateCoefficient: try c.number("estimateCoefficient"), growthRate: try c.optionalNumber("growthRate"),
        statisticsStride: c.hyperparameters["statisticsStride"] == nil ? 1 : Int(try c.number("statisticsStride")),
        variant: try referenceVariant(c)), from: initial)
  case "DAdaptAdamW":
    return stepper(
      DAdaptAdamW<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        epsilon: try c.number("epsilon"), initialEstimate: try c.number("initialEstimate"),
        weightDecay: try c.number("weightDecay")), from: initial)
  default:
    return try makeMatrixRuleStepper(c, from: initial)
  }
}

/// A ``Stepper`` that also hands `record` the parameters `evaluation` derives
/// from the state after every step.
func recordingStepper<O: Optimiser>(
  _ optimiser: O, from initial: O.Params, evaluation: @escaping (O.State, O.Params) -> O.Params,
  record: (([[Double]]) -> Void)?
) -> Stepper<O.Params> {
  var state = optimiser.initialState(for: initial)
  return { params, gradient in
    optimiser.update(&state, &params, gradient)
    guard let record else { return }
    let x = evaluation(state, params)
    record((0..<x.parameterLeafCount).map { leaf in x.withParameterLeaf(at: leaf) { $0.map { Double($0) } } })
  }
}
