@testable import Optimisers
import Testing

/// The blocked, threaded matrix product against the plain triple loop: every
/// element is the same sum in the same order, so the comparison is bitwise.
@Suite struct MatrixProductTests {
  /// Σₚ aᵢₚ bₚⱼ from 0 in increasing p, one element at a time, fused or not.
  static func tripleLoop<S: ParameterScalar>(_ a: Tensor<S>, _ b: Tensor<S>, fused: Bool = false) -> [S] {
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    var c = [S](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var total: S = 0
        for p in 0..<k { total = fused ? total.addingProduct(a[i, p], b[p, j]) : total + a[i, p] * b[p, j] }
        c[i * n + j] = total
      }
    }
    return c
  }

  // Shapes that cross every edge: register tiles of 4 and 6 rows, panels of
  // 4, 8 and 16 columns, depth blocks of 256, row blocks of 64, 72 and 144.
  static let shapes: [(Int, Int, Int)] = [
    (1, 1, 1), (3, 5, 7), (4, 8, 8), (9, 300, 13), (70, 257, 9), (65, 3, 66), (145, 520, 17), (7, 20, 150),
  ]

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

  /// The Swift kernel (scalar types without a C kernel) agrees too.
  @Test func float16MatchesTheTripleLoopBitwise() {
    var random = SplitMix64(seed: 5)
    let a: Tensor<Float16> = random.tensor([9, 30], scale: 0.5), b: Tensor<Float16> = random.tensor([30, 11], scale: 0.5)
    #expect(a.matmul(b).scalars == Self.tripleLoop(a, b))
  }

  /// Each product is rounded before it is added, on every processor: the
  /// fused rounding (which differs on these operands) is not the one.
  @Test func productsAreNotFused() {
    var random = SplitMix64(seed: 13)
    let a: Tensor<Float> = random.tensor([20, 200]), b: Tensor<Float> = random.tensor([200, 20])
    let fused = Self.tripleLoop(a, b, fused: true), separate = Self.tripleLoop(a, b)
    #expect(fused != separate)
    #expect(a.matmul(b).scalars == separate)
  }

  @Test func emptyInnerExtentGivesZeros() {
    let a = Tensor<Double>(shape: [2, 0], scalars: []), b = Tensor<Double>(shape: [0, 3], scalars: [])
    #expect(a.matmul(b).scalars == [0, 0, 0, 0, 0, 0])
  }

  /// Products above the threading threshold (2²¹ multiply-adds), split by
  /// rows (taller) and by columns (wider), on 1, 2, 3 and 8 threads.
  @Test(arguments: [(200, 130, 90), (40, 400, 150)]) func threadCountDoesNotChangeABit(shape: (Int, Int, Int)) {
    var random = SplitMix64(seed: 3)
    let a: Tensor<Float> = random.tensor([shape.0, shape.1]), b: Tensor<Float> = random.tensor([shape.1, shape.2])
    let serial = Parallelism.$current.withValue(.serial) { a.matmul(b) }
    for threads in [2, 3, 8] {
      let parallel = Parallelism.$current.withValue(Parallelism(maximumThreads: threads)) { a.matmul(b) }
      #expect(parallel.scalars == serial.scalars)
    }
    #expect(serial.scalars == Self.tripleLoop(a, b))
  }

  /// X Xᵀ and A A computed as symmetric (upper tiles, mirrored) are bitwise the
  /// full products, on any thread count and with a reused workspace.
  @Test(arguments: [(5, 9), (37, 300), (150, 100)]) func symmetricProductsEqualTheFullOnes(shape: (Int, Int)) {
    let (r, c) = shape
    var random = SplitMix64(seed: 17)
    let x: Tensor<Double> = random.tensor([r, c])
    typealias Product = MatrixProductKernel<Double>
    func gram(symmetric: Bool, threads: Int, workspace: UnsafeMutableRawBufferPointer? = nil) -> [Double] {
      var out = [Double](repeating: .nan, count: r * r)
      Parallelism.$current.withValue(Parallelism(maximumThreads: threads)) {
        x.withUnsafeBufferPointer { x in
          out.withUnsafeMutableBufferPointer { out in
            Product.multiply(
              x.baseAddress!, x.baseAddress!, into: out.baseAddress!, m: r, k: c, n: r, rowStride: c, columnStride: 1,
              bRowStride: 1, bColumnStride: c, symmetric: symmetric, workspace: workspace)
          }
        }
      }
      return out
    }
    let full = gram(symmetric: false, threads: 1)
    #expect(full == Self.tripleLoop(x, x.transposed()))
    let workspace = NativeMatrixProduct.allocateWorkspace(k: c, n: c, isDouble: true)
    defer { workspace.deallocate() }
    for threads in [1, 2, 3] {
      #expect(gram(symmetric: true, threads: threads) == full)
      #expect(gram(symmetric: true, threads: threads, workspace: workspace) == full)
    }
    let g = Tensor<Double>(shape: [r, r], scalars: full)
    let square = Parallelism.$current.withValue(Parallelism(maximumThreads: 2)) { () -> [Double] in
      var out = [Double](repeating: .nan, count: r * r)
      g.withUnsafeBufferPointer { g in
        out.withUnsafeMutableBufferPointer { out in
          Product.multiply(
            g.baseAddress!, g.baseAddress!, into: out.baseAddress!, m: r, k: r, n: r, rowStride: r, columnStride: 1,
            symmetric: true)
        }
      }
      return out
    }
    #expect(square == g.matmul(g).scalars)
  }
}
