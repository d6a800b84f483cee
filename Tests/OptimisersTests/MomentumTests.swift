import Optimisers
import Testing

@Suite struct MomentumTests {
  /// For a constant rate, PyTorch's form (ours) and Flux's form (v ← ρv − ηg,
  /// p ← p + v) give the same iterates.
  @Test func matchesFluxFormForAConstantRate() {
    var random = SplitMix64(seed: 301)
    for _ in 0..<10 {
      let rate = random.logUniform(in: 1e-3...0.1), rho = random.double(in: 0...0.95)
      let optimiser = Momentum<Tensor<Double>>(learningRate: rate, momentum: rho)
      var p: Tensor<Double> = random.tensor([5])
      var flux = p
      var fluxVelocity = Tensor<Double>.zeros([5])
      var state = optimiser.initialState(for: p)
      for _ in 0..<20 {
        let g: Tensor<Double> = random.tensor([5])
        optimiser.update(&state, &p, g)
        fluxVelocity = rho * fluxVelocity - rate * g
        flux = flux + fluxVelocity
      }
      for i in 0..<5 { #expect(relativeDifference(p[flat: i], flux[flat: i]) < 1e-12) }
    }
  }

  @Test func firstStepIsPlainGradientDescent() {
    let optimiser = Momentum<Tensor<Double>>(learningRate: 0.5, momentum: 0.9)
    var p = Tensor<Double>([1, 2])
    var state = optimiser.initialState(for: p)
    optimiser.update(&state, &p, Tensor([2, -4]))
    #expect(p.scalars == [0, 4])
    #expect(state.velocity.scalars == [2, -4])
  }
}
