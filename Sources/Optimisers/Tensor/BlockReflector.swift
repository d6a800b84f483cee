/// A product of b Householder reflections in compact WY form,
/// H₀ H₁ ⋯ H₍b₋₁₎ = I − V T Vᵀ (V unit lower trapezoidal, `rows` × b; T upper
/// triangular, b × b), so that applying all b to a block is three matrix
/// products through `MatrixProductKernel` instead of b passes over memory:
/// the blocked form of ``HouseholderQR``.
///
/// T is built column by column as in LAPACK `dlarft`: T[j, j] = τⱼ and
/// T[0..<j, j] = −τⱼ T[0..<j, 0..<j] V[:, 0..<j]ᵀ vⱼ.
///
/// - Complexity: O(rows · b²) to build; O(rows · b · columns) to apply.
/// - References: Schreiber and Van Loan, *A Storage-Efficient WY
///   Representation for Products of Householder Transformations*, SIAM J. Sci.
///   Stat. Comput. 1989; LAPACK `dlarft` and `dlarfb`.
@usableFromInline
struct BlockReflector<Scalar: ParameterScalar> {
  @usableFromInline typealias Product = MatrixProductKernel<Scalar>
  /// V, row-major `rows` × `width`, ones on its diagonal and zeros above.
  @usableFromInline let v: UnsafeMutablePointer<Scalar>
  /// T, row-major `width` × `width`.
  @usableFromInline let t: UnsafeMutablePointer<Scalar>
  @usableFromInline let rows: Int, width: Int

  /// Reads the reflectors stored below the diagonal of the `rows` × `width`
  /// panel at `a` (rows `rowStride` apart, reflector j in column j from row
  /// j + 1, as ``HouseholderReflector/make(_:count:stride:)`` leaves them) with
  /// their `taus`, into `v` (rows · width scalars) and `t` (width² scalars).
  @inlinable
  init(
    panel a: UnsafePointer<Scalar>, rowStride: Int, rows: Int, width: Int, taus: UnsafePointer<Scalar>,
    v: UnsafeMutablePointer<Scalar>, t: UnsafeMutablePointer<Scalar>
  ) {
    (self.v, self.t, self.rows, self.width) = (v, t, rows, width)
    for i in 0..<rows {
      for j in 0..<width { v[i * width + j] = i == j ? 1 : i > j ? a[i * rowStride + j] : 0 }
    }
    t.initialize(repeating: 0, count: width * width)
    var z = [Scalar](repeating: 0, count: width)
    for j in 0..<width {
      t[j * width + j] = taus[j]
      guard taus[j] != 0 else { continue }
      // z = V[:, 0..<j]ᵀ vⱼ (vⱼ is zero above row j).
      for r in 0..<j { z[r] = 0 }
      for i in j..<rows {
        let vij = v[i * width + j], row = v + i * width
        for r in 0..<j { z[r] += row[r] * vij }
      }
      for i in 0..<j {
        var sum: Scalar = 0
        for r in i..<j { sum += t[i * width + r] * z[r] }
        t[i * width + j] = -taus[j] * sum
      }
    }
  }

  /// C ← (I − V T Vᵀ) C, or (I − V Tᵀ Vᵀ) C = H₍b₋₁₎ ⋯ H₀ C when `transposed`,
  /// for the `rows` × `columns` block at `c` (rows `rowStride` apart).
  /// `work` holds 2 · width · columns + rows · columns scalars.
  @inlinable
  func apply(
    to c: UnsafeMutablePointer<Scalar>, rowStride: Int, columns: Int, transposed: Bool,
    work: UnsafeMutablePointer<Scalar>
  ) {
    guard columns > 0 else { return }
    let w = work, tw = work + width * columns, vtw = tw + width * columns
    // W = Vᵀ C, then T W (or Tᵀ W), then C − V (T W).
    Product.multiply(
      v, c, into: w, m: width, k: rows, n: columns, rowStride: 1, columnStride: width, bRowStride: rowStride)
    Product.multiply(
      t, w, into: tw, m: width, k: width, n: columns, rowStride: transposed ? 1 : width,
      columnStride: transposed ? width : 1)
    Product.multiply(v, tw, into: vtw, m: rows, k: width, n: columns, rowStride: width, columnStride: 1)
    for i in 0..<rows {
      let row = c + i * rowStride, update = vtw + i * columns
      for j in 0..<columns { row[j] -= update[j] }
    }
  }
}
