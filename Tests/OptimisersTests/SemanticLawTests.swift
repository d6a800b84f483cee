import OptimiserLaws
import OptimiserLawsTesting
import Optimisers
import Testing

/// The semantic laws of `SemanticLaws`, each on every rule it applies to, in
/// `Float` and `Double`, on a two-leaf model. Each law's tolerance and the
/// reason for it are in its documentation; the rules left out of a law are
/// left out for the reason given there. (LARS is left out of scale invariance:
/// its trust ratio falls back to 1 when ‖p‖ = 0, so a zero leaf takes a step
/// proportional to the gradient.)
@Suite struct SemanticLawTests {
  typealias M<S: ParameterScalar> = AffineModel<S>

  static func layout<S: ParameterScalar>(_: S.Type) -> ParameterGenerator<M<S>> {
    .model(M<S>(weight: .zeros([3, 4]), bias: .zeros([9])))
  }

  /// The smallest ε the rules accept that is below half an ulp of √v̂ for the
  /// gradients drawn: the ε → 0 limit, in floating point.
  static func tinyEpsilon<S: ParameterScalar>(_: S.Type) -> Double {
    S.self == Float.self ? Double(Float.leastNormalMagnitude) : 1e-300
  }

  static func scaleInvariantRules<S: ParameterScalar>(_: S.Type) -> [any Optimiser<M<S>>] {
    let e = tinyEpsilon(S.self)
    return [
      Adam<M<S>>(learningRate: 0.01, epsilon: e), Adam<M<S>>(learningRate: 0.01, beta1: 0.5, epsilon: e, decay: 0.1),
      AdamW<M<S>>(learningRate: 0.01, epsilon: e, weightDecay: 0.1), AMSGrad<M<S>>(learningRate: 0.01, epsilon: e),
      NAdam<M<S>>(learningRate: 0.01, epsilon: e), AdaMax<M<S>>(learningRate: 0.01, epsilon: e),
      AdaBelief<M<S>>(learningRate: 0.01, epsilon: e, epsilonRoot: 0), Yogi<M<S>>(learningRate: 0.01, epsilon: e, initialAccumulator: 0),
      OAdam<M<S>>(learningRate: 0.01, epsilon: e), LAMB<M<S>>(learningRate: 0.01, epsilon: e),
      RMSProp<M<S>>(learningRate: 0.01, epsilon: e), RMSProp<M<S>>(learningRate: 0.01, epsilon: e, momentum: 0.9, centred: true),
      AdaGrad<M<S>>(learningRate: 0.1, epsilon: e), Adafactor<M<S>>(epsilon1: e),
      Lion<M<S>>(learningRate: 0.01), Signum<M<S>>(), Rprop<M<S>>(),
    ]
  }

  static func signRules<S: ParameterScalar>(_: S.Type) -> [any Optimiser<M<S>>] {
    [Signum<M<S>>(momentum: 0.9), Lion<M<S>>(learningRate: 0.01, weightDecay: 0.1), Rprop<M<S>>()]
  }

  static func oddRules<S: ParameterScalar>(_: S.Type) -> [any Optimiser<M<S>>] {
    [
      SGD<M<S>>(), Momentum<M<S>>(), Nesterov<M<S>>(), Adam<M<S>>(learningRate: 0.01), AMSGrad<M<S>>(learningRate: 0.01),
      NAdam<M<S>>(), AdaMax<M<S>>(), AdaBelief<M<S>>(learningRate: 0.01), Yogi<M<S>>(initialAccumulator: 0), OAdam<M<S>>(),
      RMSProp<M<S>>(), RMSProp<M<S>>(momentum: 0.5, centred: true), AdaGrad<M<S>>(), AdaDelta<M<S>>(),
      RAdam<M<S>>(), Signum<M<S>>(), Lion<M<S>>(), Rprop<M<S>>(),
    ]
  }

  static func linearRules<S: ParameterScalar>(_: S.Type) -> [any Optimiser<M<S>>] {
    [SGD<M<S>>(), SGD<M<S>>(learningRate: 0.3, decay: 0.2), Momentum<M<S>>(momentum: 0.8), Nesterov<M<S>>(momentum: 0.7, decay: 0.1)]
  }

  func scale<O: Optimiser, S: ParameterScalar>(_ rule: O, _: S.Type) where O.Params == M<S> {
    SemanticLaws.scaleInvariance(rule, parameters: Self.layout(S.self)).expectPassed()
  }
  func sign<O: Optimiser, S: ParameterScalar>(_ rule: O, _: S.Type) where O.Params == M<S> {
    SemanticLaws.signInvariance(rule, parameters: Self.layout(S.self)).expectPassed()
  }
  func odd<O: Optimiser, S: ParameterScalar>(_ rule: O, _: S.Type) where O.Params == M<S> {
    SemanticLaws.oddness(rule, parameters: Self.layout(S.self)).expectPassed()
  }
  func linear<O: Optimiser, S: ParameterScalar>(_ rule: O, _: S.Type) where O.Params == M<S> {
    SemanticLaws.linearity(rule, parameters: Self.layout(S.self)).expectPassed()
  }

  @Test func adamFamilyAndSignRulesAreInvariantToGradientScale() {
    for rule in Self.scaleInvariantRules(Float.self) { scale(rule, Float.self) }
    for rule in Self.scaleInvariantRules(Double.self) { scale(rule, Double.self) }
  }

  @Test func scaleInvarianceWithOtherScalesHoldsWithinRounding() {
    let e = Self.tinyEpsilon(Double.self)
    SemanticLaws.scaleInvariance(
      Adam<M<Double>>(learningRate: 0.01, epsilon: e), parameters: Self.layout(Double.self),
      scales: .hyperparameter(in: 1e-2...1e2), tolerance: Tolerance(relative: 1e-12, ulps: 4)
    ).expectPassed()
  }

  @Test func signRulesAreInvariantToPositivePerCoordinateScaling() {
    for rule in Self.signRules(Float.self) { sign(rule, Float.self) }
    for rule in Self.signRules(Double.self) { sign(rule, Double.self) }
  }

  @Test func rulesThatDoNotReadTheParametersAreOdd() {
    for rule in Self.oddRules(Float.self) { odd(rule, Float.self) }
    for rule in Self.oddRules(Double.self) { odd(rule, Double.self) }
  }

  @Test func sgdAndMomentumAreLinearInTheGradients() {
    for rule in Self.linearRules(Float.self) { linear(rule, Float.self) }
    for rule in Self.linearRules(Double.self) { linear(rule, Double.self) }
  }

  /// A rule that is not linear (Adam) is caught by the linearity law: the
  /// law can fail.
  @Test func adamIsNotLinear() {
    let report = SemanticLaws.linearity(Adam<M<Double>>(learningRate: 0.01), parameters: Self.layout(Double.self))
    #expect(!report.passed)
  }

  @Test func signumIsNotScaleInvariantWithoutItsSign() {
    // Momentum (not sign-based) fails sign invariance: the law can fail.
    let report = SemanticLaws.signInvariance(Momentum<M<Double>>(), parameters: Self.layout(Double.self))
    #expect(!report.passed)
    #expect((report.counterexample?.0.steps ?? 99) <= 2, "\(report)")
  }
}
