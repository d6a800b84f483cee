import Foundation
import Optimisers
import Testing

@Suite struct RAdamTests {
  /// ρₜ from the paper, evaluated as the rule does.
  func rho(_ t: Double, beta2: Double) -> Double {
    let power = pow(beta2, t)
    return (2 / (1 - beta2) - 1) - 2 * t * power / (1 - power)
  }

  /// With the threshold set exactly to ρ₆, PyTorch's test (ρ > threshold) does
  /// not rectify step 6 and optax's (ρ ≥ threshold) does.
  @Test func variantsDisagreeOnlyAtTheThreshold() {
    let beta1 = 0.9, beta2 = 0.999, rate = 0.01, eps = 1e-8, g = 0.5
    let threshold = rho(6, beta2: beta2)
    #expect(rho(5, beta2: beta2) < threshold)
    var results: [RAdam<Double>.Variant: (before: Double, after: Double)] = [:]
    for variant in [RAdam<Double>.Variant.pytorch, .optax] {
      let optimiser = RAdam<Double>(
        learningRate: rate, beta1: beta1, beta2: beta2, epsilon: eps, threshold: threshold, variant: variant)
      var p = 1.0
      var state = optimiser.initialState(for: p)
      for _ in 0..<5 { optimiser.update(&state, &p, g) }
      let before = p
      optimiser.update(&state, &p, g)
      results[variant] = (before, p)
    }
    let torch = results[.pytorch]!, optax = results[.optax]!
    // Steps 1–5 are unrectified in both: p ← p − η m̂, the same arithmetic.
    #expect(torch.before == optax.before)
    // With a constant gradient m̂ = g and v̂ = g² (up to rounding).
    #expect(abs((torch.before - torch.after) - rate * g) <= 1e-12)
    let r = rho(6, beta2: beta2)
    let rectifier = ((r - 4) * (r - 2) * (2 / (1 - beta2) - 1) / ((2 / (1 - beta2) - 5) * (2 / (1 - beta2) - 3) * r)).squareRoot()
    #expect(abs((optax.before - optax.after) - rate * rectifier * g / (g + eps)) <= 1e-12)
    #expect(rectifier < 0.1)
  }

  @Test func thresholdBelowFourIsRejected() async {
    await #expect(processExitsWith: .failure) { _ = RAdam<Double>(threshold: 3) }
  }
}
