/// Runs kernels over the parameters, the gradient and a state's buffers, for
/// one step of a rule.
///
/// A rule gets a walk in ``KernelRule/step(_:_:)`` and calls it with a kernel.
/// Calling the walk (`walk { b in … }`) is for **elementwise** kernels: blocks
/// may be parts of leaves and may run on several threads at once (see
/// ``Parallelism``), so the kernel must not reduce over a block, and every
/// element receives the same arithmetic whichever block it falls in — results
/// are bitwise identical for every thread count. ``wholeLeaves(_:)`` gives
/// whole leaves, in order, on the calling thread, for per-leaf reductions
/// (norms, factored statistics).
///
/// When every leaf is a ``Tensor`` the walk works on the leaves in place, from
/// addresses gathered once per step; otherwise (scalar parameters, your own
/// vector types) it copies each leaf through scratch memory, runs the kernel,
/// and copies the results back, one leaf at a time on the calling thread.
public struct Walk<Params: Differentiable, State: BufferedState, Map: GradientMap>: @unchecked Sendable
where State.Params == Params {
  /// The scalar type of the parameters and the gradient.
  public typealias Scalar = Params.TangentVector.Scalar
  @usableFromInline let table: LeafTable
  @usableFromInline let map: Map
  @usableFromInline let params: UnsafeMutablePointer<Params>
  @usableFromInline let state: UnsafeMutablePointer<State>
  @usableFromInline let gradient: UnsafePointer<Params.TangentVector>

  @inlinable
  init(
    table: LeafTable, map: Map, params: UnsafeMutablePointer<Params>, state: UnsafeMutablePointer<State>,
    gradient: UnsafePointer<Params.TangentVector>
  ) {
    (self.table, self.map, self.params, self.state, self.gradient) = (table, map, params, state, gradient)
  }

  /// A value of the state other than its buffers (a product of decay rates, say),
  /// as it is before this step's kernels run.
  @inlinable
  public func read<Value>(_ value: (State) -> Value) -> Value { value(state.pointee) }

  /// The number of parameter leaves.
  @inlinable public var leafCount: Int { table.leaves }

  /// Runs an elementwise kernel over every block of every leaf.
  ///
  /// - Complexity: O(*n*), split across threads for large steps.
  @inlinable
  public func callAsFunction(_ kernel: @Sendable (Block<Scalar, Map>) -> Void) {
    guard table.isGathered else { return wholeLeaves(kernel) }
    let table = self.table, map = self.map
    LeafWalk.run(table, mayUseThreads: true) { leaf, lo, hi in
      kernel(Block(table: table, leaf: leaf, lo: lo, hi: hi, map: map))
    }
  }

  /// Runs a kernel over whole leaves, in order, on the calling thread.
  @inlinable
  public func wholeLeaves(_ kernel: (Block<Scalar, Map>) -> Void) {
    for leaf in 0..<table.leaves {
      if table.isGathered {
        kernel(Block(table: table, leaf: leaf, lo: 0, hi: table.counts[leaf], map: map))
      } else {
        throughScratch(leaf) { kernel(Block(table: table, leaf: leaf, lo: 0, hi: table.counts[leaf], map: map)) }
      }
    }
  }

  /// Copies leaf `leaf` of every column into scratch memory, points the table
  /// at it, runs `body`, and copies the parameters and buffers back.
  @inlinable
  func throughScratch(_ leaf: Int, _ body: () -> Void) {
    let table = self.table
    let count = params.pointee.withParameterLeaf(at: leaf) { $0.count }
    let slot = Swift.max(count, 1) * 8
    ScratchPool.withScratch(byteCount: table.columns * slot) { scratch in
      params.pointee.withParameterLeaf(at: leaf) { LeafCopier.copyIn($0, to: scratch, column: 0, leaf: leaf, table) }
      gradient.pointee.withLeaf(at: leaf) { LeafCopier.copyIn($0, to: scratch + slot, column: 1, leaf: leaf, table) }
      var copier = LeafCopier(table: table, leaf: leaf, scratch: scratch, slot: slot, copyingIn: true)
      state.pointee.forEachBuffer(&copier)
      body()
      params.pointee.withMutableParameterLeaf(at: leaf) {
        _ = $0.initialize(from: UnsafeBufferPointer(start: scratch.assumingMemoryBound(to: Scalar.self), count: count))
      }
      copier.copyingIn = false
      copier.column = 2
      state.pointee.forEachBuffer(&copier)
    }
  }
}

/// Copies one leaf of each buffer into scratch memory (recording it in the
/// table) or back, for the walk's leaf-by-leaf path.
@usableFromInline
struct LeafCopier: BufferVisitor {
  @usableFromInline let table: LeafTable
  @usableFromInline let leaf: Int
  @usableFromInline let scratch: UnsafeMutableRawPointer
  @usableFromInline let slot: Int
  @usableFromInline var copyingIn: Bool
  @usableFromInline var column = 2

  @inlinable
  init(table: LeafTable, leaf: Int, scratch: UnsafeMutableRawPointer, slot: Int, copyingIn: Bool) {
    (self.table, self.leaf, self.scratch, self.slot, self.copyingIn) = (table, leaf, scratch, slot, copyingIn)
  }

  @inlinable
  static func copyIn<T>(
    _ source: UnsafeBufferPointer<T>, to destination: UnsafeMutableRawPointer, column: Int, leaf: Int, _ table: LeafTable
  ) {
    precondition(MemoryLayout<T>.stride <= 8, "scalars wider than 8 bytes are not supported")
    let typed = destination.bindMemory(to: T.self, capacity: Swift.max(source.count, 1))
    _ = UnsafeMutableBufferPointer(start: typed, count: source.count).initialize(from: source)
    table.record(column, leaf, UnsafeMutableBufferPointer(start: typed, count: source.count), name: "buffer")
  }

  @inlinable
  mutating func visit<V: VectorSpace>(_ buffer: inout V, _ name: StaticString) {
    let place = scratch + column * slot
    if copyingIn {
      let (table, leaf, column) = (self.table, self.leaf, self.column)
      buffer.withLeaf(at: leaf) { source in
        LeafWalk.checkCount(source.count, table.counts[leaf], leaf: leaf, name: name)
        LeafCopier.copyIn(source, to: place, column: column, leaf: leaf, table)
      }
    } else {
      buffer.withMutableLeaf(at: leaf) { destination in
        _ = destination.initialize(
          from: UnsafeBufferPointer(start: place.assumingMemoryBound(to: V.Scalar.self), count: destination.count))
      }
    }
    column += 1
  }

  @inlinable mutating func skip(_ name: StaticString) {
    table.bases[column * table.leaves + leaf] = nil
    column += 1
  }
}
