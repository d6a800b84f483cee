import COptimisers
import Dispatch

/// The `Float` and `Double` matrix product in C (`COptimisersMatrixProduct.h`):
/// packed panels blocked for the caches, a 6 × 16 (`Float`) or 6 × 8
/// (`Double`) register tile in 256-bit vectors, and a copy compiled for AVX2
/// that x86-64 processors which have it run (chosen once, at run time).
///
/// Every element of C is Σₚ aᵢₚ bₚⱼ accumulated from 0 in increasing p, each
/// product rounded and then added (`total += a * b`, no fused multiply-add,
/// which is what the references' own products round like), so the result is
/// bitwise the plain triple loop's whatever the blocking, the number of
/// threads and the processor.
///
/// The threads (up to ``Parallelism/maximumThreads`` for products of at least
/// 2²¹ multiply-adds) each compute one rectangle of C: bands of rows, or of
/// columns when C is wider than tall; for a symmetric result only the tiles
/// touching the upper triangle are computed, in bands of equal area, and
/// mirrored.
///
/// - Complexity: O(*mkn*) time (about half of O(*n²k*) for a symmetric
///   result); 144 · 256 + 256 · min(n, 4080) scalars of packing memory per thread.
/// - References: Goto and van de Geijn, *Anatomy of High-Performance Matrix
///   Multiplication*, ACM TOMS 2008; Van Zee and van de Geijn, *BLIS: A
///   Framework for Rapidly Instantiating BLAS Functionality*, ACM TOMS 2015.
@usableFromInline
enum NativeMatrixProduct {
  /// The operands of one product, shared by the threads.
  struct Shared: @unchecked Sendable {
    var operands: optimisers_matrix_operands
    let workspace: UnsafeMutableRawPointer
    let bytesPerTask: Int
  }

  /// The threads a product of m·k·n multiply-adds may use under ``Parallelism/current``.
  static func threads(m: Int, k: Int, n: Int) -> Int {
    m &* k &* n >= 1 << 21 ? Swift.max(1, Parallelism.current.maximumThreads) : 1
  }

  /// Bytes of scratch one thread needs for products of depth ≤ `k` and width ≤ `n`.
  static func bytesPerThread(k: Int, n: Int, isDouble: Bool) -> Int {
    (optimisers_matrix_product_workspace_bytes(k, n, isDouble ? 1 : 0) + 63) / 64 * 64
  }

  /// Scratch for every product with depth ≤ `k` and width ≤ `n` on as many
  /// threads as ``Parallelism/current`` allows, to pass to ``multiply(_:isDouble:symmetric:workspace:)``.
  @usableFromInline
  static func allocateWorkspace(k: Int, n: Int, isDouble: Bool) -> UnsafeMutableRawBufferPointer {
    let bytes = bytesPerThread(k: k, n: n, isDouble: isDouble) * Swift.max(1, Parallelism.current.maximumThreads)
    return UnsafeMutableRawBufferPointer.allocate(byteCount: bytes, alignment: 64)
  }

  /// C = A B (m, k, n ≥ 1), with scratch from `workspace` when it is large
  /// enough and allocated for the call otherwise.
  ///
  /// - Parameter symmetric: C is symmetric (m = n and Aᵀ = B, or A = Aᵀ = B):
  ///   compute the tiles that touch the upper triangle and mirror them. The
  ///   result is bitwise that of the full product, whose elements cᵢⱼ and cⱼᵢ
  ///   add the same products in the same order.
  @usableFromInline
  static func multiply(
    _ operands: optimisers_matrix_operands, isDouble: Bool, symmetric: Bool, workspace: UnsafeMutableRawBufferPointer?
  ) {
    let m = operands.m, k = operands.k, n = operands.n
    let tasks = Swift.min(threads(m: m, k: k, n: n), Swift.max(m, n) / 64 + 1)
    let perTask = bytesPerThread(k: k, n: n, isDouble: isDouble)
    var owned: UnsafeMutableRawBufferPointer?
    defer { owned?.deallocate() }
    let scratch: UnsafeMutableRawPointer
    if let workspace, workspace.count >= perTask * tasks, let base = workspace.baseAddress {
      scratch = base
    } else {
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: perTask * tasks, alignment: 64)
      owned = buffer
      scratch = buffer.baseAddress!
    }
    var product = operands
    product.upper = symmetric ? 1 : 0
    let shared = Shared(operands: product, workspace: scratch, bytesPerTask: perTask)
    let rowTile = optimisers_matrix_product_tile_rows()
    let columnTile = optimisers_matrix_product_tile_columns(isDouble ? 1 : 0)
    let byRows = symmetric || m >= n
    let extent = byRows ? m : n, tile = byRows ? rowTile : columnTile
    // Band i ends at extent · f(i / tasks), rounded to whole tiles: f(x) = x, or
    // 1 − √(1 − x) for the upper triangle, whose rows near the top are longer.
    let boundary: @Sendable (Int) -> Int = { i in
      if i >= tasks { return extent }
      let x = Double(i) / Double(tasks)
      let fraction = symmetric ? 1 - (1 - x).squareRoot() : x
      return Swift.min(extent, Int((fraction * Double(extent) / Double(tile)).rounded()) * tile)
    }
    let run: @Sendable (Int) -> Void = { task in
      let begin = boundary(task), end = boundary(task + 1)
      guard begin < end else { return }
      let memory = shared.workspace + task * shared.bytesPerTask
      withUnsafePointer(to: shared.operands) { product in
        let (r0, r1, c0, c1) = byRows ? (begin, end, 0, n) : (0, m, begin, end)
        if isDouble {
          optimisers_matrix_product(product, r0, r1, c0, c1, memory)
        } else {
          optimisers_matrix_productf(product, r0, r1, c0, c1, memory)
        }
      }
    }
    if tasks <= 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: tasks, execute: run) }
    if symmetric {
      if isDouble {
        optimisers_mirror_upper(operands.c.assumingMemoryBound(to: Double.self), n, operands.c_row_stride)
      } else {
        optimisers_mirror_upperf(operands.c.assumingMemoryBound(to: Float.self), n, operands.c_row_stride)
      }
    }
  }
}
