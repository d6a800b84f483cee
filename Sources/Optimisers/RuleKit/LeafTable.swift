import COptimisers

/// The addresses of every leaf of the parameters, the gradient and a state's
/// buffers, gathered once per step so that kernels run without key paths,
/// closures per leaf or allocation.
///
/// Column 0 holds the parameters, column 1 the gradient, columns 2… the buffers
/// in the state's order (a null base for an absent optional buffer). Every
/// written leaf is made unique (copy-on-write) while it is gathered, and the
/// scalars of ``Tensor`` leaves live in class storage, so the addresses stay
/// valid while the owners are held `inout` by the walk.
@usableFromInline
struct LeafTable: @unchecked Sendable {
  @usableFromInline let leaves: Int
  @usableFromInline let columns: Int
  @usableFromInline let bases: UnsafeMutablePointer<UnsafeMutableRawPointer?>
  @usableFromInline let counts: UnsafeMutablePointer<Int>
  @usableFromInline let strides: UnsafeMutablePointer<Int>
  /// Whether every column's leaves are ``Tensor``s whose addresses were
  /// gathered; otherwise the walk copies each leaf through scratch memory.
  @usableFromInline var isGathered = false

  @inlinable
  static func byteCount(leaves: Int, columns: Int) -> Int {
    MemoryLayout<Int>.stride * (leaves * (columns + 1) + columns)
  }

  @inlinable
  init(leaves: Int, columns: Int, scratch: UnsafeMutableRawPointer) {
    self.leaves = leaves
    self.columns = columns
    bases = scratch.bindMemory(to: UnsafeMutableRawPointer?.self, capacity: leaves * columns)
    let afterBases = scratch + leaves * columns * MemoryLayout<Int>.stride
    counts = afterBases.bindMemory(to: Int.self, capacity: leaves + columns)
    strides = counts + leaves
    bases.initialize(repeating: nil, count: leaves * columns)
  }

  @inlinable
  func base(_ column: Int, _ leaf: Int) -> UnsafeMutableRawPointer? {
    bases[column * leaves + leaf]
  }

  @inlinable
  func prefetch(_ leaf: Int) {
    let lines = Swift.min(4, (counts[leaf] * strides[0] + 63) / 64)
    for column in 0..<columns {
      guard let base = bases[column * leaves + leaf] else { continue }
      for line in 0..<lines { optimisers_prefetch(UnsafeRawPointer(base) + line * 64) }
    }
  }

  /// Records leaf `leaf` of `column` (made unique by the caller), checking its
  /// scalar count against the parameters'.
  @inlinable
  func record<Scalar>(_ column: Int, _ leaf: Int, _ buffer: UnsafeMutableBufferPointer<Scalar>, name: StaticString) {
    strides[column] = MemoryLayout<Scalar>.stride
    if column == 0 {
      counts[leaf] = buffer.count
    } else {
      LeafWalk.checkCount(buffer.count, counts[leaf], leaf: leaf, name: name)
    }
    bases[column * leaves + leaf] = UnsafeMutableRawPointer(buffer.baseAddress)
      ?? UnsafeMutableRawPointer(bitPattern: MemoryLayout<Scalar>.alignment)
  }
}

/// Gathers a state's buffers into columns 2… of a ``LeafTable``, as long as
/// every buffer's leaves are ``Tensor``s.
@usableFromInline
struct LeafTableGatherer: BufferVisitor {
  @usableFromInline let table: LeafTable
  @usableFromInline var column = 2
  @usableFromInline var allTensors = true

  @inlinable init(table: LeafTable) { self.table = table }

  @inlinable
  mutating func visit<V: VectorSpace>(_ buffer: inout V, _ name: StaticString) {
    LeafWalk.checkBuffer(buffer, leaves: table.leaves, name: name)
    defer { self.column += 1 }
    guard allTensors else { return }
    let table = self.table, column = self.column
    let gathered: Void? = ScratchPool.withScratch(byteCount: table.leaves * MemoryLayout<Int>.stride) { scratch in
      let owners = UnsafeMutableBufferPointer(
        start: scratch.bindMemory(to: UnsafeMutablePointer<Tensor<V.Scalar>>.self, capacity: table.leaves),
        count: table.leaves)
      return buffer.withMutableTensorLeaves(owners) {
        for leaf in 0..<table.leaves {
          owners[leaf].pointee.withUnsafeMutableBufferPointer { table.record(column, leaf, $0, name: name) }
        }
      }
    }
    if gathered == nil { allTensors = false }
  }

  @inlinable mutating func skip(_ name: StaticString) { column += 1 }
}
