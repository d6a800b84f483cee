import Optimisers
import Testing

@Suite struct ParameterisedTests {
  @Test func nestedLeavesAreFlattenedDepthFirst() {
    let model = NestedModel(
      inner: AffineModel(weight: Tensor(randomNormal: [2, 3], seed: 1), bias: Tensor(randomNormal: [2], seed: 2)),
      scale: 0.5, extra: Tensor(randomNormal: [4], seed: 3))
    #expect(model.parameterLeafCount == 4)
    #expect(NestedModel.parameters.leafNames == ["inner.weight", "inner.bias", "scale", "extra"])
    #expect(model.parameterLeafShapes == [[2, 3], [2], [], [4]])
  }

  @Test func tangentFieldsAreAddressableByKeyPath() {
    let model = NestedModel(
      inner: AffineModel(weight: Tensor(randomNormal: [2, 3], seed: 1), bias: Tensor(randomNormal: [2], seed: 2)),
      scale: 0.5, extra: Tensor(randomNormal: [4], seed: 3))
    var g = model.zeroTangentVector
    g[\.inner.bias] = Tensor([1, 2])
    g[\.scale] = 3
    #expect(g.leaves[1] == Tensor([1, 2]))
    #expect(g.leaves[2].scalar == 3)
    let inner = g[\.inner]
    #expect(inner[\.bias] == Tensor([1, 2]))
    var moved = model
    moved.move(by: g)
    #expect(moved.scale == 3.5)
    #expect(moved.inner.bias == model.inner.bias + Tensor([1, 2]))
    #expect(moved.label == model.label)
  }

  @Test func genericModelWorksForFloatAndDouble() {
    let f = AffineModel<Float>(weight: .zeros([2, 2]), bias: .zeros([2]))
    let d = AffineModel<Double>(weight: .zeros([2, 2]), bias: .zeros([2]))
    #expect(f.parameterLeafCount == 2 && d.parameterLeafCount == 2)
  }
}
