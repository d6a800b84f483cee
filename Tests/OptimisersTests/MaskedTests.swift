import Optimisers
import Testing

@Suite struct MaskedTests {
  typealias Model = AffineModel<Double>

  @Test func weightDecayOnWeightsButNotBiasesInOneLine() {
    var model = affine(Double.self, seed: 3)
    let start = model
    let g = WrapperLaws.gradients(for: model, steps: 1, seed: 4)[0]
    let chain = Chain(WeightDecay(0.5).masked { $0.hasSuffix("weight") }, SGD<Model>(learningRate: 0.1))
    var state = chain.initialState(for: model)
    #expect(state.leading.mask == [true, false])
    chain.update(&state, &model, g)
    // bias: p − η g exactly; weight: p − η (g + λ p).
    #expect(model.bias.scalars == zip(start.bias.scalars, g.leaves[1].scalars).map { $0 - 0.1 * $1 })
    #expect(model.weight.scalars == zip(start.weight.scalars, g.leaves[0].scalars).map { $0 - 0.1 * ($1 + 0.5 * $0) })
  }

  @Test func rankSelectorIsTheUsualDecayMask() {
    let model = nested()
    #expect(LeafSelector.rank(atLeast: 2).mask(for: model) == [true, false, false, false])
    #expect(LeafSelector.rank(atLeast: 2).inverted.mask(for: model) == [false, true, true, true])
    #expect(LeafSelector.all.mask(for: model) == [true, true, true, true])
    #expect(LeafSelector.none.mask(for: model) == [false, false, false, false])
  }

  @Test func keyPathSelectorCoversNestedFields() {
    let model = nested()
    #expect(LeafSelector.paths(\NestedModel.inner).mask(for: model) == [true, true, false, false])
    #expect(LeafSelector.paths(\NestedModel.inner.bias, \NestedModel.extra).mask(for: model) == [false, true, false, true])
    #expect(LeafSelector.paths(\NestedModel.scale).mask(for: model) == [false, false, true, false])
  }

  @Test func aPathThatIsNotAParameterStops() async {
    await #expect(processExitsWith: .failure) { _ = LeafSelector.paths(\NestedModel.label) }
  }

  @Test func maskedGlobalNormIsOverTheSelectedLeavesOnly() {
    let model = AffineModel<Double>(weight: .zeros([1, 2]), bias: .zeros([1]))
    var g = Tangent<AffineModel<Double>>(leaves: [Tensor(shape: [1, 2], scalars: [3, 4]), Tensor([100])])
    let masked = ClipGlobalNorm(1).masked { $0 == "weight" }
    var state = masked.initialState(for: model)
    masked.transform(&state, &g, model)
    #expect(g.leaves[0].scalars == [3.0 / 5, 4.0 / 5])
    #expect(g.leaves[1].scalars == [100])
  }

  @Test func maskedNonFusingTransformTouchesOnlySelectedLeaves() {
    let model = affine(Double.self)
    let g = WrapperLaws.gradients(for: model, steps: 1, seed: 9, scale: 3)[0]
    var rewritten = g
    let masked = SignTransform().masked(.named { $0 == "bias" })
    var state = masked.initialState(for: model)
    #expect(!Masked<SignTransform>.fusesIntoRule)
    masked.transform(&state, &rewritten, model)
    #expect(rewritten.leaves[0].scalars == g.leaves[0].scalars)
    #expect(rewritten.leaves[1].scalars == g.leaves[1].scalars.map { $0 > 0 ? 1 : -1 })
  }

  @Test func validationRejectsAMaskForOtherParameters() {
    let masked = WeightDecay(0.1).masked(.all)
    let state = masked.initialState(for: affine(Double.self))
    #expect(throws: OptimiserError.leafCountMismatch(buffer: "mask", expected: 4, found: 2)) {
      try masked.validate(state, for: nested())
    }
  }
}
