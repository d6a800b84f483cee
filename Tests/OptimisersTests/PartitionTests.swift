import Optimisers
import Testing

@Suite struct PartitionTests {
  typealias Model = AffineModel<Double>

  func frozenLeaf<S: ParameterScalar>(_: S.Type) {
    let model = affine(S.self, seed: 1)
    let gradients = WrapperLaws.gradients(for: model, steps: 6, seed: 2)
    let partition = Partition(Frozen(), for: \AffineModel<S>.bias, otherwise: Adam(learningRate: 0.01))
    let (trajectory, state) = WrapperLaws.trajectory(partition, from: model, gradients)
    let plain = WrapperLaws.trajectory(Adam<AffineModel<S>>(learningRate: 0.01), from: model, gradients).params
    for (p, q) in zip(trajectory, plain) {
      #expect(p.bias.bitPatternsEqual(model.bias))
      #expect(p.weight.bitPatternsEqual(q.weight))
    }
    #expect(state.selectedLeaves == [1] && state.restLeaves == [0])
    #expect(state.rest.firstMoment.leaves.count == 1)
  }

  @Test func aFrozenLeafIsBitwiseUnchanged() {
    frozenLeaf(Float.self)
    frozenLeaf(Double.self)
  }

  @Test func theSameRuleOnBothSidesIsTheRuleBitwise() {
    let model = nested(seed: 3)
    let gradients = WrapperLaws.gradients(for: model, steps: 5, seed: 4)
    func same<O: Optimiser, G: Optimiser>(_ rule: O, _ group: G) -> Bool
    where O.Params == NestedModel, G.Params == LeafGroup<NestedModel> {
      WrapperLaws.bitwiseEqual(
        WrapperLaws.trajectory(Partition(group, for: \NestedModel.inner, otherwise: group), from: model, gradients).params,
        WrapperLaws.trajectory(rule, from: model, gradients).params)
    }
    #expect(same(Momentum<NestedModel>(), Momentum<LeafGroup<NestedModel>>()))
    #expect(same(Adam<NestedModel>(), Adam<LeafGroup<NestedModel>>()))
    #expect(same(LAMB<NestedModel>(), LAMB<LeafGroup<NestedModel>>()))
    #expect(same(Adafactor<NestedModel>(), Adafactor<LeafGroup<NestedModel>>()))
  }

  @Test func enclosingMapsKeepTheirLeafIndices() {
    // The masked decay applies to the bias only, which lands in the partition's
    // second group at position 0; it must still be treated as leaf 1.
    let model = affine(Double.self, seed: 5)
    let gradients = WrapperLaws.gradients(for: model, steps: 4, seed: 6)
    let decay = WeightDecay(0.5).masked { $0 == "bias" }
    let partitioned = Chain(decay, Partition(Adam(), for: \Model.weight, otherwise: Adam()))
    let plain = Chain(decay, Adam<Model>())
    #expect(WrapperLaws.bitwiseEqual(
      WrapperLaws.trajectory(partitioned, from: model, gradients).params,
      WrapperLaws.trajectory(plain, from: model, gradients).params))
  }

  @Test func threeGroupsByNesting() {
    var model = nested(seed: 7)
    let start = model
    let g = WrapperLaws.gradients(for: model, steps: 1, seed: 8)[0]
    let optimiser = Partition(
      SGD(learningRate: 1), for: \NestedModel.scale,
      otherwise: Partition<LeafGroup<NestedModel>, _, _>(
        Frozen(), for: .named { $0.hasPrefix("inner.") }, otherwise: SGD(learningRate: 0.5)))
    var state = optimiser.initialState(for: model)
    optimiser.update(&state, &model, g)
    #expect(model.scale == start.scale - 1 * g[\.scale])
    #expect(model.inner.weight == start.inner.weight && model.inner.bias == start.inner.bias)
    #expect(model.extra.scalars == zip(start.extra.scalars, g[\.extra].scalars).map { $0 - 0.5 * $1 })
  }

  @Test func leafGroupGatherThenScatterIsTheIdentity() {
    var model = nested(seed: 9)
    let original = model
    let group = LeafGroup.gather(model, leaves: [3, 0])
    #expect(group.names == ["extra", "inner.weight"])
    #expect(group.parameterLeafShapes == [[4], [2, 3]])
    model.extra = .zeros([4])
    group.scatter(into: &model)
    #expect(model.parametersBitwiseEqual(original))
  }

  @Test func validationRejectsLeafListsThatDoNotCoverTheParameters() {
    let model = affine(Double.self)
    let partition = Partition(SGD(), for: \Model.weight, otherwise: SGD())
    var state = partition.initialState(for: model)
    state.restLeaves = [0]
    #expect(throws: OptimiserError.self) { try partition.validate(state, for: model) }
  }
}
