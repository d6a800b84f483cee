import Optimisers
import Testing

@Suite struct NesterovTests {
  /// Flux's Nesterov: d = ρ²v − (1 + ρ)ηg, v ← ρv − ηg, p ← p + d. For a
  /// constant rate it gives our iterates.
  @Test func matchesFluxFormForAConstantRate() {
    var random = SplitMix64(seed: 401)
    for _ in 0..<10 {
      let rate = random.logUniform(in: 1e-3...0.1), rho = random.double(in: 0...0.95)
      let optimiser = Nesterov<Tensor<Double>>(learningRate: rate, momentum: rho)
      var p: Tensor<Double> = random.tensor([4])
      var flux = p
      var fluxVelocity = Tensor<Double>.zeros([4])
      var state = optimiser.initialState(for: p)
      for _ in 0..<20 {
        let g: Tensor<Double> = random.tensor([4])
        optimiser.update(&state, &p, g)
        let d = (rho * rho) * fluxVelocity - ((1 + rho) * rate) * g
        fluxVelocity = rho * fluxVelocity - rate * g
        flux = flux + d
      }
      for i in 0..<4 { #expect(relativeDifference(p[flat: i], flux[flat: i]) < 1e-11) }
    }
  }

  @Test func firstStepLooksAhead() {
    let optimiser = Nesterov<Double>(learningRate: 0.1, momentum: 0.5)
    var p = 1.0
    var state = optimiser.initialState(for: p)
    optimiser.update(&state, &p, 2)
    // v = 2, step = 0.1 · (2 + 0.5 · 2) = 0.3
    #expect(abs(p - 0.7) < 1e-15)
  }
}
