import Optimisers
import Testing

/// ε = 0 is allowed exactly when ε_root > 0 (optax's `eps=0, eps_root>0`),
/// on every rule with both guards; with both 0 validation names ε.
@Suite struct DenominatorGuardTests {
  func check<R: Optimiser>(
    _ rule: R, _ epsilon: WritableKeyPath<R, Double>, _ root: WritableKeyPath<R, Double>,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var rule = rule
    rule[keyPath: epsilon] = 0
    rule[keyPath: root] = 1e-8
    #expect(throws: Never.self, sourceLocation: sourceLocation) { try rule.validateHyperparameters() }
    rule[keyPath: root] = 0
    let error = #expect(throws: OptimiserError.self, sourceLocation: sourceLocation) {
      try rule.validateHyperparameters()
    }
    guard case .invalidHyperparameter(_, let name, let value, _)? = error else {
      Issue.record("expected an invalid hyperparameter, got \(String(describing: error))", sourceLocation: sourceLocation)
      return
    }
    #expect(name == "epsilon" && value == 0, sourceLocation: sourceLocation)
    rule[keyPath: epsilon] = -1e-8
    rule[keyPath: root] = 1
    #expect(throws: OptimiserError.self, sourceLocation: sourceLocation) { try rule.validateHyperparameters() }
    rule[keyPath: epsilon] = 1e-8
    rule[keyPath: root] = -1
    #expect(throws: OptimiserError.self, sourceLocation: sourceLocation) { try rule.validateHyperparameters() }
  }

  @Test func everyRuleWithBothGuardsAcceptsEpsilonZeroOnlyWithARoot() {
    typealias P = Tensor<Double>
    check(Adam<P>(), \.epsilon, \.epsilonRoot)
    check(AdamW<P>(), \.epsilon, \.epsilonRoot)
    check(AMSGrad<P>(), \.epsilon, \.epsilonRoot)
    check(NAdam<P>(), \.epsilon, \.epsilonRoot)
    check(RAdam<P>(), \.epsilon, \.epsilonRoot)
    check(LAMB<P>(), \.epsilon, \.epsilonRoot)
    check(NovoGrad<P>(), \.epsilon, \.epsilonRoot)
    check(AdaBelief<P>(), \.epsilon, \.epsilonRoot)
    check(Adan<P>(), \.epsilon, \.epsilonRoot)
    check(OAdam<P>(), \.epsilon, \.epsilonRoot)
  }

  /// With ε = 0 the root alone keeps the denominator positive: a zero
  /// gradient (v = 0) leaves the parameters finite and unchanged, in every
  /// variant.
  @Test func aZeroGradientWithEpsilonZeroStaysFinite() {
    let p = Tensor<Double>([1, -2, 3])
    let zero = p.zeroTangentVector
    func unchanged<R: Optimiser<Tensor<Double>>>(_ rule: R) -> Bool {
      var state = rule.initialState(for: p), q = p
      for _ in 0..<3 { rule.update(&state, &q, zero) }
      return q == p
    }
    #expect(unchanged(Adam<Tensor<Double>>(epsilon: 0, epsilonRoot: 1e-12)))
    #expect(unchanged(AMSGrad<Tensor<Double>>(epsilon: 0, variant: .pytorch, epsilonRoot: 1e-12)))
    #expect(unchanged(AMSGrad<Tensor<Double>>(epsilon: 0, variant: .optax, epsilonRoot: 1e-12)))
    #expect(unchanged(NAdam<Tensor<Double>>(epsilon: 0, variant: .pytorch, epsilonRoot: 1e-12)))
    #expect(unchanged(NAdam<Tensor<Double>>(epsilon: 0, variant: .optax, epsilonRoot: 1e-12)))
    #expect(unchanged(RAdam<Tensor<Double>>(epsilon: 0, variant: .pytorch, epsilonRoot: 1e-12)))
    #expect(unchanged(RAdam<Tensor<Double>>(epsilon: 0, variant: .optax, epsilonRoot: 1e-12)))
    #expect(unchanged(OAdam<Tensor<Double>>(epsilon: 0, epsilonRoot: 1e-12)))
  }
}
