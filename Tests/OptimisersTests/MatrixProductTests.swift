import Optimisers
import Testing

/// The blocked, threaded matrix product against the plain triple loop: every
/// element is the same sum in the same order, so the comparison is bitwise.
@Suite struct MatrixProductTests {
  /// Σₚ aᵢₚ bₚⱼ from 0 in increasing p, one element at a time.
  static func tripleLoop<S: ParameterScalar>(_ a: Tensor<S>, _ b: Tensor<S>) -> [S] {
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    var c = [S](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var total: S = 0
        for p in 0..<k { total += a[i, p] * b[p, j] }
        c[i * n + j] = total
      }
    }
    return c
  }

  // Shapes that cross every edge: tiles of 4 rows, panels of 4 and 8 columns,
  // depth blocks of 256, row blocks of 64.
  static let shapes: [(Int, Int, Int)] = [(1, 1, 1), (3, 5, 7), (4, 8, 8), (9, 300, 13), (70, 257, 9), (65, 3, 66)]

  @Test(arguments: shapes) func floatMatchesTheTripleLoopBitwise(shape: (Int, Int, Int)) {
    var random = SplitMix64(seed: 7)
    let a: Tensor<Float> = random.tensor([shape.0, shape.1]), b: Tensor<Float> = random.tensor([shape.1, shape.2])
    #expect(a.matmul(b).scalars == Self.tripleLoop(a, b))
    #expect(a.transposed().transposedMatmul(b).scalars == Self.tripleLoop(a, b))
  }

  @Test(arguments: shapes) func doubleMatchesTheTripleLoopBitwise(shape: (Int, Int, Int)) {
    var random = SplitMix64(seed: 11)
    let a: Tensor<Double> = random.tensor([shape.0, shape.1]), b: Tensor<Double> = random.tensor([shape.1, shape.2])
    #expect(a.matmul(b).scalars == Self.tripleLoop(a, b))
    #expect(a.transposed().transposedMatmul(b).scalars == Self.tripleLoop(a, b))
  }

  @Test func emptyInnerExtentGivesZeros() {
    let a = Tensor<Double>(shape: [2, 0], scalars: []), b = Tensor<Double>(shape: [0, 3], scalars: [])
    #expect(a.matmul(b).scalars == [0, 0, 0, 0, 0, 0])
  }

  @Test func threadCountDoesNotChangeABit() {
    var random = SplitMix64(seed: 3)
    let a: Tensor<Float> = random.tensor([200, 130]), b: Tensor<Float> = random.tensor([130, 90])
    let serial = Parallelism.$current.withValue(.serial) { a.matmul(b) }
    for threads in [2, 3, 8] {
      let parallel = Parallelism.$current.withValue(Parallelism(maximumThreads: threads)) { a.matmul(b) }
      #expect(parallel.scalars == serial.scalars)
    }
    #expect(serial.scalars == Self.tripleLoop(a, b))
  }
}
