import Foundation
import Optimisers
import Testing

/// Checks shared by the rules beyond the core four: range checks, rule tags in
/// saved states, and the fixed points the catalogue cannot claim for them.
@Suite struct RuleFamilyTests {
  /// `validateHyperparameters()` names the rule, the hyperparameter and its
  /// value (checked through a key path, which skips the initialiser's trap).
  @Test func rangeChecksNameRuleParameterAndValue() {
    func expectRejected<O: Optimiser>(_ rule: O, _ name: String, _ value: Double) {
      do {
        try rule.validateHyperparameters()
        Issue.record("\(O.self) accepted \(name) = \(value)")
      } catch {
        guard case let .invalidHyperparameter(ruleName, parameter, found, _) = error else {
          Issue.record("\(O.self): unexpected \(error)")
          return
        }
        #expect(String(describing: O.self).hasPrefix(ruleName))
        #expect(parameter == name && (found == value || found.isNaN && value.isNaN), "\(error)")
      }
    }
    expectRejected(RMSProp<Double>().adjustedUnchecked(\.rho, 1), "rho", 1)
    expectRejected(AdaGrad<Double>().adjustedUnchecked(\.initialAccumulatorValue, -1), "initialAccumulatorValue", -1)
    expectRejected(AdaDelta<Double>().adjustedUnchecked(\.epsilon, 0), "epsilon", 0)
    expectRejected(AdaMax<Double>().adjustedUnchecked(\.beta2, 1), "beta2", 1)
    expectRejected(AMSGrad<Double>().adjustedUnchecked(\.learningRate, -1), "learningRate", -1)
    expectRejected(NAdam<Double>().adjustedUnchecked(\.momentumDecay, -0.1), "momentumDecay", -0.1)
    expectRejected(AdamW<Double>().adjustedUnchecked(\.weightDecay, .nan), "weightDecay", .nan)
    expectRejected(RAdam<Double>().adjustedUnchecked(\.threshold, 3.5), "threshold", 3.5)
    expectRejected(AdaBelief<Double>().adjustedUnchecked(\.epsilonRoot, -1e-16), "epsilonRoot", -1e-16)
    expectRejected(Lion<Double>().adjustedUnchecked(\.beta1, 1.5), "beta1", 1.5)
    expectRejected(Rprop<Double>().adjustedUnchecked(\.etaPlus, 0.9), "etaPlus", 0.9)
    expectRejected(Rprop<Double>().adjustedUnchecked(\.etaMinus, 1), "etaMinus", 1)
    expectRejected(Rprop<Double>().adjustedUnchecked(\.maximumStep, 1e-9), "maximumStep", 1e-9)
    expectRejected(OAdam<Double>().adjustedUnchecked(\.optimism, -1), "optimism", -1)
    expectRejected(Yogi<Double>().adjustedUnchecked(\.initialAccumulator, -1), "initialAccumulator", -1)
    expectRejected(LAMB<Double>().adjustedUnchecked(\.epsilon, 0), "epsilon", 0)
    expectRejected(LARS<Double>().adjustedUnchecked(\.trustCoefficient, 0), "trustCoefficient", 0)
    expectRejected(Signum<Double>().adjustedUnchecked(\.momentum, 1), "momentum", 1)
    expectRejected(Adafactor<Double>().adjustedUnchecked(\.decayOffset, 3), "decayOffset", 3)
    expectRejected(Adafactor<Double>().adjustedUnchecked(\.clippingThreshold, 0), "clippingThreshold", 0)
  }

  /// Construction stops on an out-of-range value, naming it.
  @Test func constructionTrapsOnInvalidValues() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Rprop<Double>(etaMinus: 0.5, etaPlus: 0.8)
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("Rprop") && message.contains("etaPlus") && message.contains("0.8"), "\(message)")
    await #expect(processExitsWith: .failure) { _ = AdaGrad<Float>(initialAccumulatorValue: -1) }
    await #expect(processExitsWith: .failure) { _ = LARS<Float>(momentum: 1) }
    await #expect(processExitsWith: .failure) { _ = Lion<Float>(weightDecay: -0.1) }
  }

  /// A state saved by one rule does not load as another's, even when the
  /// buffers would fit.
  @Test func statesCarryTheirRuleTag() throws {
    let p = Tensor<Double>([1, 2])
    let data = try JSONEncoder().encode(AdaMax<Tensor<Double>>().initialState(for: p))
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(AdamW<Tensor<Double>>.State.self, from: data) }
    let adamW = try JSONEncoder().encode(AdamW<Tensor<Double>>().initialState(for: p))
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(RAdam<Tensor<Double>>.State.self, from: adamW) }
    #expect(throws: Never.self) { try JSONDecoder().decode(AdamW<Tensor<Double>>.State.self, from: adamW) }
  }

  /// The catalogue runs these rules with weight decay (or, for Yogi, a non-zero
  /// initial accumulator), where a zero gradient moves the parameters; without
  /// them a zero gradient from a fresh state is a fixed point.
  @Test func zeroGradientIsAFixedPointWithoutDecay() {
    func check<O: Optimiser>(_ rule: O) where O.Params == AffineModel<Float> {
      var random = SplitMix64(seed: 41)
      let start = random.affine(Float.self)
      var p = start
      var state = rule.initialState(for: p)
      for _ in 0..<3 { rule.update(&state, &p, p.zeroTangentVector) }
      #expect(p.parametersBitwiseEqual(start), "\(O.self) moved")
    }
    typealias P = AffineModel<Float>
    check(AdamW<P>(weightDecay: 0))
    check(Lion<P>(learningRate: 0.1, weightDecay: 0))
    check(LAMB<P>(weightDecay: 0))
    check(LARS<P>(weightDecay: 0))
    check(Yogi<P>(initialAccumulator: 0))
    check(Adafactor<P>(variant: .optax))
    check(Adafactor<P>(learningRate: nil, momentum: 0.9, variant: .optax))
  }

  /// ... and with decay they do move, so the catalogue's exemption is needed.
  @Test func weightDecayMovesParametersWithoutAGradient() {
    var p = Tensor<Double>([1, -2])
    let rule = AdamW<Tensor<Double>>(learningRate: 0.1, weightDecay: 0.5)
    var state = rule.initialState(for: p)
    rule.update(&state, &p, .zeros([2]))
    let shrink: Double = 1 - 0.1 * 0.5
    let expected = Tensor<Double>([1 * shrink, -2 * shrink])
    #expect(p == expected)
  }
}

extension Optimiser {
  /// A copy with one hyperparameter changed and not checked, to test the checks.
  func adjustedUnchecked<Value>(_ keyPath: WritableKeyPath<Self, Value>, _ value: Value) -> Self {
    var copy = self
    copy[keyPath: keyPath] = value
    return copy
  }
}
