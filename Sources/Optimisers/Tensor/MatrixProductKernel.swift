import COptimisers
import Dispatch
import Synchronization

/// The matrix product behind ``Tensor/matmul(_:)``: C = A B for an `[m, k]`
/// matrix A, a `[k, n]` matrix B (each read through strides, so either may be
/// a transpose without a copy) and a row-major `[m, n]` matrix C.
///
/// `Float` and `Double` go to ``NativeMatrixProduct`` (C, AVX2 where the
/// processor has it, 6-row register tiles, symmetric products computed once).
/// The other scalar types (`Float16`, ``BFloat16``) run the Swift kernel here,
/// whose loops follow Goto and van de Geijn: B is packed once into panels of
/// ``panelColumns`` columns (k × width, contiguous), A into panels of four rows
/// for each block of ``depthBlock`` products, and a register tile of 4 rows ×
/// 8 columns (`Float`) or 4 × 4 (`Double`) of C is held in `SIMD4`
/// accumulators while a panel of A (L2-resident) meets a panel of B
/// (L1-resident). Blocks of ``rowBlock`` rows of C are shared among up to
/// ``Parallelism/maximumThreads`` threads for large products.
///
/// Both compute every element as the sum Σₚ aᵢₚ bₚⱼ accumulated from 0 in
/// increasing p with a separately rounded multiply and add (the accumulators
/// of a tile are reloaded from C between depth blocks, not started again from
/// 0), so the result is bitwise the same as the plain triple loop's, whatever
/// the blocking and whatever the number of threads, on every machine.
///
/// - Complexity: O(*mkn*) time; O(*kn*) packing memory for B and
///   O(``rowBlock`` · ``depthBlock``) per thread for A.
/// - References: Goto and van de Geijn, *Anatomy of High-Performance Matrix
///   Multiplication*, ACM TOMS 2008.
@usableFromInline
enum MatrixProductKernel<Scalar: ParameterScalar> {
  /// Products per depth block (A's panel is 4 × this, B's micro-panel this × width).
  @inlinable static var depthBlock: Int { 256 }
  /// Rows of C per work item (and per packed block of A).
  @inlinable static var rowBlock: Int { 64 }
  /// The width of a register tile and of a packed panel of B: 8 for 4-byte
  /// scalars (eight `SIMD4<Float>` accumulators), 4 for wider ones.
  @inlinable static var panelColumns: Int { MemoryLayout<Scalar>.size <= 4 ? 8 : 4 }
  /// Products (m·k·n) below which the calling thread does everything.
  @inlinable static var parallelThreshold: Int { 1 << 21 }
  /// Whether ``NativeMatrixProduct`` (C, AVX2 where available) serves
  /// this scalar type; the Swift kernel below serves the others.
  @inlinable static var isNative: Bool { Scalar.self == Float.self || Scalar.self == Double.self }

  /// C = A B.
  ///
  /// - Parameters:
  ///   - a: A's first element; element (i, p) is at `a[i * rowStride + p * columnStride]`
  ///     (for Aᵀ B with a stored `[k, m]` matrix, pass `rowStride` 1 and
  ///     `columnStride` m).
  ///   - b: B's first element; element (p, j) is at `b[p * bRowStride + j * bColumnStride]`.
  ///   - c: C, `[m, n]`, row-major; every element is written.
  ///   - symmetric: C is symmetric (A Aᵀ, or A A with A symmetric): `Float`
  ///     and `Double` compute the upper triangle and mirror it, bitwise the
  ///     same as the full product.
  ///   - workspace: Packing scratch from ``NativeMatrixProduct/allocateWorkspace(k:n:isDouble:)``,
  ///     reused across calls (`Float`, `Double`); `nil` allocates per call.
  @inlinable
  static func multiply(
    _ a: UnsafePointer<Scalar>, _ b: UnsafePointer<Scalar>, into c: UnsafeMutablePointer<Scalar>,
    m: Int, k: Int, n: Int, rowStride: Int, columnStride: Int, bRowStride: Int? = nil, bColumnStride: Int = 1,
    symmetric: Bool = false, workspace: UnsafeMutableRawBufferPointer? = nil
  ) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
      c.update(repeating: 0, count: m * n)
      return
    }
    if isNative {
      let operands = optimisers_matrix_operands(
        a: UnsafeRawPointer(a), a_row_stride: rowStride, a_column_stride: columnStride, b: UnsafeRawPointer(b),
        b_row_stride: bRowStride ?? n, b_column_stride: bColumnStride, c: UnsafeMutableRawPointer(c),
        c_row_stride: n, m: m, k: k, n: n, upper: 0)
      NativeMatrixProduct.multiply(
        operands, isDouble: Scalar.self == Double.self, symmetric: symmetric && m == n, workspace: workspace)
      return
    }
    let width = panelColumns
    let panels = (n + width - 1) / width
    let packedB = UnsafeMutablePointer<Scalar>.allocate(capacity: panels * k * width)
    defer { packedB.deallocate() }
    packB(b, into: packedB, k: k, n: n, rowStride: bRowStride ?? n, columnStride: bColumnStride)
    let operands = Operands(
      a: a, packedB: UnsafePointer(packedB), c: c, m: m, k: k, n: n, rowStride: rowStride, columnStride: columnStride)
    let blocks = (m + rowBlock - 1) / rowBlock
    let setting = Parallelism.current
    let threads = m &* k &* n >= parallelThreshold ? min(setting.maximumThreads, blocks) : 1
    if threads <= 1 {
      withPackedA { for block in 0..<blocks { operands.rows(block, packedA: $0) } }
      return
    }
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      withPackedA { packedA in
        while true {
          let block = next.wrappingAdd(1, ordering: .relaxed).oldValue
          if block >= blocks { break }
          operands.rows(block, packedA: packedA)
        }
      }
    }
  }

  /// Runs `body` with room for one packed block of A.
  @inlinable
  static func withPackedA(_ body: (UnsafeMutablePointer<Scalar>) -> Void) {
    let packedA = UnsafeMutablePointer<Scalar>.allocate(capacity: rowBlock * depthBlock)
    defer { packedA.deallocate() }
    body(packedA)
  }

  /// Packs B into panels of ``panelColumns`` columns: panel q holds rows
  /// 0..<k of columns q·width..<(q+1)·width, row after row, zero beyond n.
  @inlinable
  static func packB(
    _ b: UnsafePointer<Scalar>, into packed: UnsafeMutablePointer<Scalar>, k: Int, n: Int, rowStride: Int,
    columnStride: Int
  ) {
    let width = panelColumns
    var destination = packed
    var j0 = 0
    while j0 < n {
      let columns = min(width, n - j0)
      for p in 0..<k {
        let row = b + p * rowStride + j0 * columnStride
        for j in 0..<columns { destination[j] = row[j * columnStride] }
        for j in columns..<width { destination[j] = 0 }
        destination += width
      }
      j0 += width
    }
  }

  /// The operands of one product, shared by the threads.
  @usableFromInline
  struct Operands: @unchecked Sendable {
    @usableFromInline let a: UnsafePointer<Scalar>
    @usableFromInline let packedB: UnsafePointer<Scalar>
    @usableFromInline let c: UnsafeMutablePointer<Scalar>
    @usableFromInline let m: Int, k: Int, n: Int, rowStride: Int, columnStride: Int

    @inlinable
    init(
      a: UnsafePointer<Scalar>, packedB: UnsafePointer<Scalar>, c: UnsafeMutablePointer<Scalar>, m: Int, k: Int,
      n: Int, rowStride: Int, columnStride: Int
    ) {
      (self.a, self.packedB, self.c, self.m, self.k, self.n) = (a, packedB, c, m, k, n)
      (self.rowStride, self.columnStride) = (rowStride, columnStride)
    }

    /// Computes rows block·``rowBlock``..< of C, depth block by depth block.
    @inlinable
    func rows(_ block: Int, packedA: UnsafeMutablePointer<Scalar>) {
      let depth = MatrixProductKernel.depthBlock, width = MatrixProductKernel.panelColumns
      let i0 = block * MatrixProductKernel.rowBlock
      let rows = min(MatrixProductKernel.rowBlock, m - i0)
      let tiles = (rows + 3) / 4
      var p0 = 0
      while p0 < k {
        let kc = min(depth, k - p0)
        packA(rows: i0, count: rows, depth: p0, kc: kc, into: packedA)
        var j0 = 0
        while j0 < n {
          let panel = packedB + (j0 / width) * k * width + p0 * width
          for tile in 0..<tiles {
            let i = i0 + 4 * tile
            MatrixProductKernel.tile(
              packedA + tile * 4 * kc, panel, c + i * n + j0, kc: kc, n: n,
              rows: min(4, m - i), columns: min(width, n - j0), first: p0 == 0)
          }
          j0 += width
        }
        p0 += kc
      }
    }

    /// Packs rows i0..<i0+count, products p0..<p0+kc of A into panels of four
    /// rows, product after product, zero beyond the last row.
    @inlinable
    func packA(rows i0: Int, count: Int, depth p0: Int, kc: Int, into packed: UnsafeMutablePointer<Scalar>) {
      var destination = packed
      var r = 0
      while r < count {
        let live = min(4, count - r)
        for p in 0..<kc {
          let column = a + (p0 + p) * columnStride
          for lane in 0..<live { destination[lane] = column[(i0 + r + lane) * rowStride] }
          for lane in live..<4 { destination[lane] = 0 }
          destination += 4
        }
        r += 4
      }
    }
  }
}
