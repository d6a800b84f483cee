/// The register-blocked kernel behind ``Tensor/matmul(_:)``: C = A B for
/// row-major A (`[m, k]`), B (`[k, n]`) and C (`[m, n]`).
///
/// C is computed in tiles of 4 rows × 4 columns held in `SIMD4` accumulators
/// (eight SSE2 registers of doubles, leaving room for B's row and A's scalars):
/// each row of B's tile is loaded once per four rows of A instead of once per
/// row, and C is written once instead of read and written k times. Every
/// element is still the sum Σₚ aᵢₚ bₚⱼ accumulated from 0 in increasing p with
/// a separately rounded multiply and add, so the result is bitwise the same as
/// the plain triple loop's, on every machine.
///
/// - Complexity: O(*mkn*).
@usableFromInline
enum MatrixProductKernel<Scalar: ParameterScalar> {
  ///
  /// - Parameters:
  ///   - a: A's first element; element (i, p) is at `a[i * rowStride + p * columnStride]`,
  ///     so A may be read transposed without copying it (for Aᵀ B, pass the
  ///     stored `[k, m]` matrix with `rowStride` 1 and `columnStride` m).
  ///   - b: B, `[k, n]`, row-major.
  ///   - c: C, `[m, n]`, row-major; every element is written.
  @inlinable
  static func multiply(
    _ a: UnsafePointer<Scalar>, _ b: UnsafePointer<Scalar>, into c: UnsafeMutablePointer<Scalar>,
    m: Int, k: Int, n: Int, rowStride: Int, columnStride: Int
  ) {
    var j = 0
    while j + 4 <= n {
      var i = 0
      while i + 4 <= m {
        var c0 = SIMD4<Scalar>(), c1 = SIMD4<Scalar>(), c2 = SIMD4<Scalar>(), c3 = SIMD4<Scalar>()
        for p in 0..<k {
          let row = load(b + p * n + j)
          c0 += a[i * rowStride + p * columnStride] * row
          c1 += a[(i + 1) * rowStride + p * columnStride] * row
          c2 += a[(i + 2) * rowStride + p * columnStride] * row
          c3 += a[(i + 3) * rowStride + p * columnStride] * row
        }
        store(c0, c + i * n + j)
        store(c1, c + (i + 1) * n + j)
        store(c2, c + (i + 2) * n + j)
        store(c3, c + (i + 3) * n + j)
        i += 4
      }
      while i < m {
        var c0 = SIMD4<Scalar>()
        for p in 0..<k { c0 += a[i * rowStride + p * columnStride] * load(b + p * n + j) }
        store(c0, c + i * n + j)
        i += 1
      }
      j += 4
    }
    // The columns left over after the 4-wide tiles.
    if j < n {
      for i in 0..<m {
        for column in j..<n {
          var total: Scalar = 0
          for p in 0..<k { total += a[i * rowStride + p * columnStride] * b[p * n + column] }
          c[i * n + column] = total
        }
      }
    }
  }

  @inlinable
  static func load(_ p: UnsafePointer<Scalar>) -> SIMD4<Scalar> {
    SIMD4(p[0], p[1], p[2], p[3])
  }

  @inlinable
  static func store(_ v: SIMD4<Scalar>, _ p: UnsafeMutablePointer<Scalar>) {
    for lane in 0..<4 { p[lane] = v[lane] }
  }
}
