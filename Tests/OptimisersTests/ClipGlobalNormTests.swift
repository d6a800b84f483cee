import Optimisers
import Testing

@Suite struct ClipGlobalNormTests {
  func rescales<S: ParameterScalar>(_: S.Type) {
    let model = AffineModel<S>(weight: .zeros([1, 1]), bias: .zeros([1]))
    var g = Tangent<AffineModel<S>>(leaves: [Tensor(shape: [1, 1], scalars: [3]), Tensor([4])])  // global norm 5
    var state = NoState()
    ClipGlobalNorm(1).transform(&state, &g, model)
    #expect(g.leaves[0].scalars == [S(3) / 5 * 1])
    #expect(g.leaves[1].scalars == [S(4) / 5 * 1])

    var small = Tangent<AffineModel<S>>(leaves: [Tensor(shape: [1, 1], scalars: [0.3]), Tensor([0.4])])
    ClipGlobalNorm(1).transform(&state, &small, model)
    #expect(small.leaves[0].scalars == [0.3] && small.leaves[1].scalars == [0.4])
  }

  @Test func rescalesToTheBoundOverAllLeaves() {
    rescales(Float.self)
    rescales(Double.self)
  }

  @Test func nonFiniteElementsFollowOptax() {
    // A NaN makes the norm NaN and every element NaN; an infinity makes the norm
    // infinite: that element becomes ∞/∞ = NaN and the others x/∞ = 0.
    let model = AffineModel<Double>(weight: .zeros([1, 2]), bias: .zeros([1]))
    var g = Tangent<AffineModel<Double>>(leaves: [Tensor(shape: [1, 2], scalars: [.nan, 1]), Tensor([1])])
    var state = NoState()
    ClipGlobalNorm(1).transform(&state, &g, model)
    #expect(g.leaves.allSatisfy { $0.scalars.allSatisfy(\.isNaN) })
    var h = Tangent<AffineModel<Double>>(leaves: [Tensor(shape: [1, 2], scalars: [.infinity, 1]), Tensor([-1])])
    ClipGlobalNorm(1).transform(&state, &h, model)
    #expect(h.leaves[0].scalars[0].isNaN)
    #expect(h.leaves[0].scalars[1] == 0 && h.leaves[1].scalars[0] == 0)
  }

  @Test func normIsSummedInTheDocumentedFixedOrder() {
    // Leaf by leaf; within a leaf, element i into partial sum i mod 8, the eight
    // combined pairwise, then the remainder in index order. The values make the
    // Float result depend on the order: a left-to-right sum of the first leaf's
    // squares loses the small ones next to 1e8.
    let weight: [Float] = [1e4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3]
    let bias: [Float] = [1e4, 7]
    let model = AffineModel<Float>(weight: .zeros([1, 11]), bias: .zeros([2]))
    let g = Tangent<AffineModel<Float>>(leaves: [Tensor(shape: [1, 11], scalars: weight), Tensor(bias)])
    var state = NoState()
    let map = ClipGlobalNorm(1).map(&state, gradient: g, params: model, after: IdentityGradientMap())
    let sq = weight.map { $0 * $0 }
    var first = ((sq[0] + sq[1]) + (sq[2] + sq[3])) + ((sq[4] + sq[5]) + (sq[6] + sq[7]))
    first += sq[8]
    first += sq[9]
    first += sq[10]
    var second: Float = bias[0] * bias[0]
    second += bias[1] * bias[1]
    var total: Float = 0
    total += first
    total += second
    #expect(map.norm == Double(Float.squareRoot(of: total)))
    var sequential: Float = 0
    for x in weight + bias { sequential += x * x }
    #expect(sequential != total)
  }

  @Test func nonPositiveBoundStops() async {
    await #expect(processExitsWith: .failure) { _ = ClipGlobalNorm(-2) }
  }
}
