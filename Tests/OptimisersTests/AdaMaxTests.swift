import Optimisers
import Testing

@Suite struct AdaMaxTests {
  /// Two steps computed by hand for both ε placements (no fixture covers
  /// `.outside`, Keras's form). With ε = 0.5 the placements differ visibly.
  @Test func epsilonPlacementsFollowTheirFormulas() {
    let rate = 0.1, beta1 = 0.9, beta2 = 0.99, eps = 0.5
    // Step 1: m = 0.1·2 = 0.2; step size η/(1 − β₁) = 1.
    // Step 2: m = 0.2 + 0.1·(−1 − 0.2) = 0.08; step size η/(1 − β₁²) = 0.1/0.19.
    let m2 = 0.2 + (1 - beta1) * (-1 - 0.2)
    let outside = 1 - 1 * 0.2 / (2 + eps) - rate / (1 - beta1 * beta1) * m2 / (max(beta2 * 2, 1) + eps)
    let insideMax = 1 - 1 * 0.2 / (2 + eps) - rate / (1 - beta1 * beta1) * m2 / max(beta2 * (2 + eps), 1 + eps)
    for (placement, expected) in [(AdaMax<Double>.EpsilonPlacement.outside, outside), (.insideMax, insideMax)] {
      let optimiser = AdaMax<Double>(learningRate: rate, beta1: beta1, beta2: beta2, epsilon: eps, epsilonPlacement: placement)
      var p = 1.0
      var state = optimiser.initialState(for: p)
      optimiser.update(&state, &p, 2)
      optimiser.update(&state, &p, -1)
      #expect(abs(p - expected) <= 1e-15, "\(placement): \(p) vs \(expected)")
    }
    #expect(abs(outside - insideMax) > 1e-5)
  }

  @Test func defaultsFollowPyTorchAndOptax() {
    let rule = AdaMax<Float>()
    #expect(rule.learningRate == 0.002 && rule.beta1 == 0.9 && rule.beta2 == 0.999 && rule.epsilon == 1e-8)
    #expect(rule.epsilonPlacement == .insideMax)
  }
}
