import Optimisers
import Testing

@Suite struct ClipNormTests {
  @Test func clipsEachLeafOnItsOwn() {
    let model = AffineModel<Double>(weight: .zeros([2, 2]), bias: .zeros([2]))
    var g = model.zeroTangentVector
    g[\.weight] = Tensor(shape: [2, 2], scalars: [3, 4, 0, 0])  // norm 5
    g[\.bias] = Tensor([0.3, 0.4])  // norm 0.5, below the bound
    var state = NoState()
    ClipNorm(1).transform(&state, &g, model)
    let expected: [Double] = [3.0 / 5 * 1, 4.0 / 5 * 1, 0, 0]
    #expect(g.leaves[0].scalars == expected)
    #expect(g.leaves[1].scalars == [0.3, 0.4])
  }

  @Test func floatLeafNormsAreAtMostTheBound() {
    let model = AffineModel<Float>(weight: .zeros([3, 2]), bias: .zeros([3]))
    for seed in UInt64(1)...20 {
      var g = WrapperLaws.gradients(for: model, steps: 1, seed: seed, scale: 4)[0]
      var state = NoState()
      ClipNorm(2).transform(&state, &g, model)
      for leaf in g.leaves { #expect(leaf.euclideanNorm <= 2 * (1 + 1e-6)) }
    }
  }

  @Test func nonPositiveBoundStops() async {
    await #expect(processExitsWith: .failure) { _ = ClipNorm(0) }
  }
}
