import Optimisers
import Testing

@Suite struct TensorTests {
  @Test func shapeAndScalars() {
    let t = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect(t.shape == [2, 3])
    #expect(t.scalarCount == 6)
    #expect(t[1, 2] == 6)
    #expect(t.transposed().scalars == [1, 4, 2, 5, 3, 6])
    #expect(Tensor<Float>([1, 2]).shape == [2])
    #expect(Tensor<Float>(scalar: 3).shape == [])
  }

  @Test func arithmeticBroadcastsRankZero() {
    let t = Tensor<Double>([1, 2, 3])
    #expect((t + Tensor(scalar: 1)).scalars == [2, 3, 4])
    #expect((Tensor(scalar: 2) * t).scalars == [2, 4, 6])
    #expect((t - t).scalars == [0, 0, 0])
    #expect((t / 2).scalars == [0.5, 1, 1.5])
    #expect((t + .zero) == t)
  }

  @Test func copyOnWriteKeepsValuesIndependent() {
    let a = Tensor<Float>([1, 2, 3])
    var b = a
    b[flat: 0] = 10
    #expect(a.scalars == [1, 2, 3])
    #expect(b.scalars == [10, 2, 3])
  }

  @Test func linearAlgebraAgainstHandComputedValues() {
    let w = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let x = Tensor<Double>([1, 0, -1])
    #expect(w.matvec(x).scalars == [-2, -2])
    let b = Tensor<Double>(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1])
    #expect(w.matmul(b).scalars == [4, 5, 10, 11])
    #expect(x.dot(x) == 2)
    #expect(w.sum() == 21)
    #expect(w.mean() == 3.5)
    #expect(Tensor.outer(Tensor<Double>([1, 2]), Tensor([3, 4])).scalars == [3, 4, 6, 8])
  }

  @Test func mismatchedScalarCountStops() async {
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>(shape: [2, 2], scalars: [1, 2, 3])
    }
  }

  @Test func mismatchedShapesInArithmeticStopWithBothShapes() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor<Double>.zeros([2, 3]) + Tensor<Double>.zeros([3, 2])
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("[2, 3]") && message.contains("[3, 2]"))
  }
}
