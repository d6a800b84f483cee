import Optimisers

/// Builds the optimiser of an `options.json` case of the "porting" family
/// (`generate_option_fixtures.py`'s `port(...)`): torch's `weight_decay=`,
/// `decoupled_weight_decay=True` and `maximize=True`, and optax aliases spelt
/// with existing rules. The rule reads every hyperparameter it takes from the
/// case (Swift labels); a `decoupledWeightDecay` hyperparameter wraps it in
/// ``DecoupledWeightDecay`` and the option `maximise` puts ``Maximise`` first.
struct PortingRuleFactory: StepperFactory {
  func make<P: Differentiable>(_ c: FixtureCase, from initial: P) throws -> Stepper<P> {
    let h = { (key: String) throws -> Double in try c.number(key) }
    switch c.rule {
    case "SGD":
      return try finish(SGD<P>(learningRate: h("learningRate"), weightDecay: h("weightDecay")), c, initial)
    case "Momentum":
      return try finish(
        Momentum<P>(
          learningRate: h("learningRate"), momentum: h("momentum"), dampening: h("dampening"),
          weightDecay: h("weightDecay")), c, initial)
    case "Nesterov":
      return try finish(
        Nesterov<P>(learningRate: h("learningRate"), momentum: h("momentum"), weightDecay: h("weightDecay")), c, initial)
    case "Adam":
      return try finish(
        Adam<P>(
          learningRate: h("learningRate"), beta1: h("beta1"), beta2: h("beta2"), epsilon: h("epsilon"),
          epsilonRoot: c.optionalNumberOrZero("epsilonRoot"), weightDecay: c.optionalNumberOrZero("weightDecay")),
        c, initial)
    case "AdamW":
      return try finish(
        AdamW<P>(
          learningRate: h("learningRate"), beta1: h("beta1"), beta2: h("beta2"), epsilon: h("epsilon"),
          weightDecay: h("weightDecay")), c, initial)
    case "AMSGrad":
      return try finish(
        AMSGrad<P>(
          learningRate: h("learningRate"), beta1: h("beta1"), beta2: h("beta2"), epsilon: h("epsilon"),
          variant: referenceVariant(c), epsilonRoot: c.optionalNumberOrZero("epsilonRoot"),
          weightDecay: h("weightDecay")), c, initial)
    case "NAdam":
      return try finish(
        NAdam<P>(
          learningRate: h("learningRate"), beta1: h("beta1"), beta2: h("beta2"), epsilon: h("epsilon"),
          momentumDecay: h("momentumDecay"), variant: referenceVariant(c), weightDecay: h("weightDecay")), c, initial)
    case "RAdam":
      return try finish(
        RAdam<P>(
          learningRate: h("learningRate"), beta1: h("beta1"), beta2: h("beta2"), epsilon: h("epsilon"),
          variant: referenceVariant(c), weightDecay: h("weightDecay")), c, initial)
    case "AdaGrad":
      return try finish(
        AdaGrad<P>(
          learningRate: h("learningRate"), learningRateDecay: h("learningRateDecay"),
          initialAccumulatorValue: h("initialAccumulatorValue"), epsilon: h("epsilon"), weightDecay: h("weightDecay")),
        c, initial)
    case "RMSProp":
      return try finish(
        RMSProp<P>(
          learningRate: h("learningRate"), rho: h("rho"), epsilon: h("epsilon"), momentum: h("momentum"),
          centred: c.flag("centred"), weightDecay: h("weightDecay")), c, initial)
    case "AdaDelta":
      return try finish(
        AdaDelta<P>(learningRate: h("learningRate"), rho: h("rho"), epsilon: h("epsilon"), weightDecay: h("weightDecay")),
        c, initial)
    case "AdaMax":
      return try finish(
        AdaMax<P>(
          learningRate: h("learningRate"), beta1: h("beta1"), beta2: h("beta2"), epsilon: h("epsilon"),
          epsilonPlacement: enumOption(c, "epsilonPlacement"), weightDecay: h("weightDecay")), c, initial)
    case "Signum":
      return try finish(Signum<P>(learningRate: h("learningRate"), momentum: h("momentum")), c, initial)
    case "OAdam":
      return try finish(
        OAdam<P>(
          learningRate: h("learningRate"), optimism: h("optimism"), beta1: h("beta1"), beta2: h("beta2"),
          epsilon: h("epsilon"), epsilonRoot: h("epsilonRoot")), c, initial)
    default:
      throw FixtureError.unknownRule(c.rule)
    }
  }

  /// `rule`, inside ``DecoupledWeightDecay`` when the case has a
  /// `decoupledWeightDecay`, after ``Maximise`` when its option `maximise` is set.
  func finish<R: KernelRule>(_ rule: R, _ c: FixtureCase, _ initial: R.Params) throws -> Stepper<R.Params>
  where R: LearningRateReadable {
    let maximise = c.options["maximise"] == "true"
    guard c.hyperparameters["decoupledWeightDecay"] != nil else {
      return maximise ? stepper(Chain(Maximise(), rule), from: initial) : stepper(rule, from: initial)
    }
    let decoupled = DecoupledWeightDecay(try c.number("decoupledWeightDecay"), rule, learningRate: \.learningRate)
    return maximise ? stepper(Chain(Maximise(), decoupled), from: initial) : stepper(decoupled, from: initial)
  }

  /// The option `key` as a `String`-backed enumeration.
  func enumOption<V: RawRepresentable<String>>(_ c: FixtureCase, _ key: String) throws -> V {
    let name = try c.option(key)
    guard let value = V(rawValue: name) else { throw FixtureError.unknownOption("\(c.name): \(key) '\(name)'") }
    return value
  }
}

/// A rule whose learning rate ``DecoupledWeightDecay`` can read.
protocol LearningRateReadable { var learningRate: Double { get } }

extension SGD: LearningRateReadable {}
extension Momentum: LearningRateReadable {}
extension Nesterov: LearningRateReadable {}
extension Adam: LearningRateReadable {}
extension AdamW: LearningRateReadable {}
extension AMSGrad: LearningRateReadable {}
extension NAdam: LearningRateReadable {}
extension RAdam: LearningRateReadable {}
extension AdaGrad: LearningRateReadable {}
extension RMSProp: LearningRateReadable {}
extension AdaDelta: LearningRateReadable {}
extension AdaMax: LearningRateReadable {}
extension Signum: LearningRateReadable {}
extension OAdam: LearningRateReadable {}

extension FixtureCase {
  /// The hyperparameter `key`, or 0 when the case does not give it.
  func optionalNumberOrZero(_ key: String) throws -> Double {
    hyperparameters[key] == nil ? 0 : try number(key)
  }
}
