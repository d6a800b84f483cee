extension MatrixProductKernel {
  /// One register tile of C: up to 4 rows × ``panelColumns`` columns at `c`
  /// (row stride `n`) gain Σₚ aᵢₚ bₚⱼ over `kc` products of a packed panel of A
  /// (four values per product) and of B (``panelColumns`` values per product).
  ///
  /// The accumulators start from C's values, or from 0 when `first`, and only
  /// the `rows` × `columns` live part is read and written.
  @inlinable
  static func tile(
    _ a: UnsafePointer<Scalar>, _ b: UnsafePointer<Scalar>, _ c: UnsafeMutablePointer<Scalar>, kc: Int, n: Int,
    rows: Int, columns: Int, first: Bool
  ) {
    if panelColumns == 8 {
      wideTile(a, b, c, kc: kc, n: n, rows: rows, columns: columns, first: first)
    } else {
      narrowTile(a, b, c, kc: kc, n: n, rows: rows, columns: columns, first: first)
    }
  }

  /// 4 × 8: eight `SIMD4` accumulators (for 4-byte scalars, eight SSE registers).
  @inlinable
  static func wideTile(
    _ a: UnsafePointer<Scalar>, _ b: UnsafePointer<Scalar>, _ c: UnsafeMutablePointer<Scalar>, kc: Int, n: Int,
    rows: Int, columns: Int, first: Bool
  ) {
    let left = min(columns, 4), right = max(columns - 4, 0)
    func start(_ r: Int, _ offset: Int, _ live: Int) -> SIMD4<Scalar> {
      first || r >= rows ? SIMD4() : load(c + r * n + offset, live)
    }
    var c00 = start(0, 0, left), c01 = start(0, 4, right), c10 = start(1, 0, left), c11 = start(1, 4, right)
    var c20 = start(2, 0, left), c21 = start(2, 4, right), c30 = start(3, 0, left), c31 = start(3, 4, right)
    var ap = a, bp = b
    for _ in 0..<kc {
      let b0 = SIMD4(bp[0], bp[1], bp[2], bp[3]), b1 = SIMD4(bp[4], bp[5], bp[6], bp[7])
      let a0 = ap[0], a1 = ap[1], a2 = ap[2], a3 = ap[3]
      c00 += a0 * b0; c01 += a0 * b1
      c10 += a1 * b0; c11 += a1 * b1
      c20 += a2 * b0; c21 += a2 * b1
      c30 += a3 * b0; c31 += a3 * b1
      ap += 4; bp += 8
    }
    func put(_ r: Int, _ low: SIMD4<Scalar>, _ high: SIMD4<Scalar>) {
      guard r < rows else { return }
      store(low, c + r * n, left)
      if right > 0 { store(high, c + r * n + 4, right) }
    }
    put(0, c00, c01); put(1, c10, c11); put(2, c20, c21); put(3, c30, c31)
  }

  /// 4 × 4: four `SIMD4` accumulators (for 8-byte scalars, eight SSE registers).
  @inlinable
  static func narrowTile(
    _ a: UnsafePointer<Scalar>, _ b: UnsafePointer<Scalar>, _ c: UnsafeMutablePointer<Scalar>, kc: Int, n: Int,
    rows: Int, columns: Int, first: Bool
  ) {
    func start(_ r: Int) -> SIMD4<Scalar> { first || r >= rows ? SIMD4() : load(c + r * n, columns) }
    var c0 = start(0), c1 = start(1), c2 = start(2), c3 = start(3)
    var ap = a, bp = b
    for _ in 0..<kc {
      let row = SIMD4(bp[0], bp[1], bp[2], bp[3])
      c0 += ap[0] * row; c1 += ap[1] * row; c2 += ap[2] * row; c3 += ap[3] * row
      ap += 4; bp += 4
    }
    if rows > 0 { store(c0, c, columns) }
    if rows > 1 { store(c1, c + n, columns) }
    if rows > 2 { store(c2, c + 2 * n, columns) }
    if rows > 3 { store(c3, c + 3 * n, columns) }
  }

  /// The first `live` (≤ 4) values at `p`, zero beyond.
  @inlinable
  static func load(_ p: UnsafePointer<Scalar>, _ live: Int) -> SIMD4<Scalar> {
    if live >= 4 { return SIMD4(p[0], p[1], p[2], p[3]) }
    var v = SIMD4<Scalar>()
    for lane in 0..<live { v[lane] = p[lane] }
    return v
  }

  /// Writes the first `live` (≤ 4) lanes of `v` to `p`.
  @inlinable
  static func store(_ v: SIMD4<Scalar>, _ p: UnsafeMutablePointer<Scalar>, _ live: Int) {
    if live >= 4 {
      p[0] = v[0]; p[1] = v[1]; p[2] = v[2]; p[3] = v[3]
      return
    }
    for lane in 0..<live { p[lane] = v[lane] }
  }
}
