import Foundation
import Optimisers
import Testing

@Suite struct NAdamTests {
  /// The state keeps Πₜ = μ₁⋯μₜ with μₜ = β₁(1 − ½·0.96^(tψ)) (Dozat's schedule).
  @Test func momentumProductFollowsDozatsSchedule() {
    let beta1 = 0.8, psi = 0.01
    let optimiser = NAdam<Double>(beta1: beta1, momentumDecay: psi)
    var p = 1.0
    var state = optimiser.initialState(for: p)
    var expected = 1.0
    for t in 1...3 {
      optimiser.update(&state, &p, 0.25)
      expected *= beta1 * (1 - 0.5 * pow(0.96, Double(t) * psi))
      #expect(abs(state.momentumProduct - expected) <= 1e-15)
    }
  }

  @Test func validateRejectsAnImpossibleMomentumProduct() {
    let optimiser = NAdam<Double>()
    var state = optimiser.initialState(for: 1.0)
    state.momentumProduct = 2
    #expect(throws: OptimiserError.self) { try optimiser.validate(state, for: 1.0) }
  }
}
