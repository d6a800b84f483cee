import COptimisers
import Dispatch
import Synchronization

/// Walks parameters, their gradient and an optimiser's state buffers **in
/// lockstep**, handing a rule the contiguous scalars of every buffer at once so
/// it can update them all in one fused pass.
///
/// ```swift
/// LeafWalk.forEachLeaf(&params, gradient, &state.velocity) { leaf, p, g, v in
///   for i in 0..<p.count { v[i] = momentum * v[i] + g[i]; p[i] -= rate * v[i] }
/// }
/// ```
///
/// ``forEachLeaf(_:_:_:)`` is for **elementwise** kernels: it may hand `body` a
/// block of a leaf rather than the whole leaf, and run blocks on several threads
/// at once when the step is large (see ``Parallelism``), so `body` is `@Sendable`
/// and must not reduce over its buffers. A rule that needs a per-leaf reduction
/// (a norm, a factored statistic) uses ``forEachWholeLeaf(_:_:_:)``, which
/// always gives whole leaves, in order, on the calling thread.
///
/// The walk checks, once per call, that the gradient's leaf shapes match the
/// parameters' (stopping with a message naming both), and that every state buffer
/// has the same leaf count and element counts. A gradient with no leaves
/// (``Tangent/zero``) is read as zeros of the parameters' shapes. Every buffer it
/// writes is made unique first (copy-on-write), so shared buffers are never
/// written.
///
/// When every leaf is a ``Tensor`` (``Tensor``, ``Tangent``, and ``Parameterised``
/// models whose parameters are all tensor fields), the walk gathers every
/// leaf's address once per step, without key paths or allocation; otherwise it
/// visits leaves one at a time through the ``Differentiable`` and
/// ``VectorSpace`` leaf accessors, on the calling thread.
///
/// ## Mathematical properties
/// For an elementwise `body`, every element receives the same arithmetic
/// whichever thread and block it falls in: results are bitwise identical for
/// every ``Parallelism`` setting.
///
/// - Complexity: O(leaves) for the checks plus the cost of `body` on every
///   element; O(leaves + *n* / block) to split a parallel step.
/// - References: Kingma and Ba, *Adam*, 2015, Algorithm 1 (the elementwise
///   update that fuses); NVIDIA Apex `multi_tensor_apply`, 2018 (fused
///   multi-buffer kernels over many tensors).
public enum LeafWalk {
  /// Stops with a message naming both shapes unless `tangent`'s leaves have the
  /// shapes of `params`' leaves.
  ///
  /// - Parameters:
  ///   - params: The parameters.
  ///   - tangent: A gradient or offset for them.
  ///   - role: What `tangent` is, for the message (`"gradient"`).
  /// - Complexity: O(leaves).
  @inlinable
  public static func checkShapes<P: Differentiable>(of params: P, _ tangent: P.TangentVector, role: String) {
    let count = params.parameterLeafCount
    precondition(
      tangent.leafCount == count,
      "the \(role) has \(tangent.leafCount) leaves, but the parameters have \(count)")
    for index in 0..<count {
      let expected = params.parameterLeafShape(at: index)
      let found = tangent.leafShape(at: index)
      if expected != found {
        preconditionFailure(
          "the \(role) for leaf '\(params.parameterLeafName(at: index))' has shape \(found), but the parameter has shape \(expected)")
      }
    }
  }

  /// Throws unless `buffer` has `params`' leaf count and shapes.
  ///
  /// - Parameters:
  ///   - buffer: A state buffer.
  ///   - name: The buffer's name, for the error (`"firstMoment"`).
  ///   - params: The parameters.
  /// - Throws: ``OptimiserError/leafCountMismatch(buffer:expected:found:)`` or
  ///   ``OptimiserError/shapeMismatch(buffer:leaf:expected:found:)``.
  /// - Complexity: O(leaves).
  @inlinable
  public static func validate<P: Differentiable, V: VectorSpace>(
    _ buffer: V, named name: String, for params: P
  ) throws(OptimiserError) {
    let count = params.parameterLeafCount
    guard buffer.leafCount == count else {
      throw .leafCountMismatch(buffer: name, expected: count, found: buffer.leafCount)
    }
    for index in 0..<count {
      let expected = params.parameterLeafShape(at: index)
      let found = buffer.leafShape(at: index)
      guard expected == found else {
        throw .shapeMismatch(buffer: name, leaf: params.parameterLeafName(at: index), expected: expected, found: found)
      }
    }
  }

  /// Throws unless `step` is a possible step count: in 0…2⁵³, so that it is
  /// exact as a `Double` (bias corrections use it) and no later `step += 1`
  /// can overflow.
  ///
  /// - Complexity: O(1).
  @inlinable
  public static func validate(step: Int) throws(OptimiserError) {
    guard step >= 0 else { throw .invalidState("step count \(step) is negative") }
    guard step <= 1 << 53 else { throw .invalidState("step count \(step) is larger than 2^53") }
  }

  /// The gradient to walk: `gradient` itself after a shape check, or zeros when it
  /// has no leaves.
  @inlinable
  static func checkedGradient<P: Differentiable>(_ params: P, _ gradient: P.TangentVector) -> P.TangentVector {
    if gradient.leafCount == 0 && params.parameterLeafCount > 0 { return params.zeroTangentVector }
    checkShapes(of: params, gradient, role: "gradient")
    return gradient
  }

  @inlinable
  static func materialisedGradient<P: Differentiable>(_ params: P, _ gradient: P.TangentVector) -> P.TangentVector {
    if gradient.leafCount == 0 && params.parameterLeafCount > 0 { return params.zeroTangentVector }
    return gradient
  }

  @inlinable
  static func checkBuffer<V: VectorSpace>(_ buffer: V, leaves: Int, name: StaticString) {
    precondition(
      buffer.leafCount == leaves,
      "state buffer '\(name)' has \(buffer.leafCount) leaves, but the parameters have \(leaves); was the state made for other parameters?")
  }

  @inlinable
  static func checkCount(_ found: Int, _ expected: Int, leaf: Int, name: StaticString) {
    precondition(
      found == expected,
      "state buffer '\(name)' leaf \(leaf) has \(found) scalars, but the parameter has \(expected); was the state made for other parameters?")
  }

  // MARK: - The walk

  /// Gathers the addresses of every leaf of `params`, `gradient` and `state`'s
  /// buffers (making each written leaf unique), then hands `body` a ``Walk`` to
  /// run kernels with.
  ///
  /// - Precondition: The gradient's leaf shapes and every buffer's leaf counts
  ///   match the parameters'; otherwise the call stops with a message naming
  ///   both.
  /// - Complexity: O(leaves × buffers) to gather, plus what `body` runs.
  @inlinable
  public static func walk<P: Differentiable, State: BufferedState, Map: GradientMap, R>(
    _ params: inout P, _ gradient: P.TangentVector, _ state: inout State, preprocessing map: Map,
    _ body: (Walk<P, State, Map>) -> R
  ) -> R where State.Params == P {
    let gradient = materialisedGradient(params, gradient)
    let leaves = params.parameterLeafCount
    let columns = 2 + state.bufferCount
    precondition(
      gradient.leafCount == leaves, "the gradient has \(gradient.leafCount) leaves, but the parameters have \(leaves)")
    return ScratchPool.withScratch(byteCount: LeafTable.byteCount(leaves: leaves, columns: columns)) { scratch in
      var table = LeafTable(leaves: leaves, columns: columns, scratch: scratch)
      table.isGathered = gather(&params, gradient, into: table)
      if table.isGathered {
        var gatherer = LeafTableGatherer(table: table)
        state.forEachBuffer(&gatherer)
        table.isGathered = gatherer.allTensors
      }
      if !table.isGathered { checkShapes(of: params, gradient, role: "gradient") }
      return withUnsafeMutablePointer(to: &params) { params in
        withUnsafeMutablePointer(to: &state) { state in
          withUnsafePointer(to: gradient) { gradient in
            body(Walk(table: table, map: map, params: params, state: state, gradient: gradient))
          }
        }
      }
    }
  }

  /// Columns 0 and 1 when every leaf of the parameters and the gradient is a
  /// ``Tensor``: the parameters (made unique) and the gradient (read only), with
  /// the gradient's shapes checked against the parameters'. Returns false, having
  /// recorded nothing, otherwise.
  @inlinable
  static func gather<P: Differentiable>(_ params: inout P, _ gradient: P.TangentVector, into table: LeafTable) -> Bool {
    typealias S = P.TangentVector.Scalar
    let leaves = table.leaves
    let word = MemoryLayout<Int>.stride
    return ScratchPool.withScratch(byteCount: 2 * leaves * word) { scratch -> Bool in
      let owners = UnsafeMutableBufferPointer(
        start: scratch.bindMemory(to: UnsafeMutablePointer<Tensor<S>>.self, capacity: leaves), count: leaves)
      let readers = UnsafeMutableBufferPointer(
        start: (scratch + leaves * word).bindMemory(to: UnsafePointer<Tensor<S>>.self, capacity: leaves), count: leaves)
      return tensorLeaves(of: &params, owners) {
        gradient.withTensorLeaves(readers) { () -> Bool in
          for leaf in 0..<leaves where owners[leaf].pointee.storedShape != readers[leaf].pointee.storedShape {
            return false
          }
          for leaf in 0..<leaves {
            owners[leaf].pointee.withUnsafeMutableBufferPointer { table.record(0, leaf, $0, name: "parameters") }
            readers[leaf].pointee.withUnsafeBufferPointer {
              table.record(1, leaf, UnsafeMutableBufferPointer(mutating: $0), name: "gradient")
            }
          }
          return true
        } ?? false
      } ?? false
    }
  }

  /// The fast path's hook, kept off the public ``Differentiable`` protocol:
  /// writes the address of every parameter leaf into `addresses` and runs
  /// `body`, for parameters that are their own tangent (``Tensor``, vector
  /// spaces with ``VectorSpace/withMutableTensorLeaves(_:_:)``) and for
  /// ``Parameterised`` models whose parameters are all tensor fields; `nil`
  /// for anything else.
  @inlinable
  static func tensorLeaves<P: Differentiable, R>(
    of params: inout P, _ addresses: UnsafeMutableBufferPointer<UnsafeMutablePointer<Tensor<P.TangentVector.Scalar>>>,
    _ body: () -> R
  ) -> R? {
    if P.self == P.TangentVector.self {
      return withUnsafeMutablePointer(to: &params) { pointer in
        pointer.withMemoryRebound(to: P.TangentVector.self, capacity: 1) { $0.pointee.withMutableTensorLeaves(addresses, body) }
      }
    }
    guard let model = P.self as? any Parameterised.Type else { return nil }
    func open<M: Parameterised>(_: M.Type) -> R? {
      withUnsafeMutablePointer(to: &params) { pointer in
        pointer.withMemoryRebound(to: M.self, capacity: 1) { model in
          addresses.withMemoryRebound(to: UnsafeMutablePointer<Tensor<M.Scalar>>.self) {
            model.pointee.withMutableParameterTensorLeaves($0, body)
          }
        }
      }
    }
    return open(model)
  }

  // MARK: - Running kernels, on one thread or several

  @usableFromInline
  struct WorkItem {
    @usableFromInline var first: Int
    @usableFromInline var end: Int
    @usableFromInline var lo: Int
    @usableFromInline var hi: Int

    @inlinable
    init(first: Int, end: Int, lo: Int, hi: Int) {
      self.first = first
      self.end = end
      self.lo = lo
      self.hi = hi
    }
  }

  @usableFromInline
  struct SharedItems: @unchecked Sendable {
    @usableFromInline let items: UnsafeMutablePointer<WorkItem>
    @usableFromInline let count: Int

    @inlinable
    init(items: UnsafeMutablePointer<WorkItem>, count: Int) {
      self.items = items
      self.count = count
    }
  }

  /// Steps smaller than this never use threads, whatever ``Parallelism`` says.
  @inlinable static var alwaysSerialBelow: Int { 1024 }

  /// Calls `kernel(leaf, lo, hi)` over every leaf: whole leaves in order on this
  /// thread for small steps, blocks of ``Parallelism/blockScalars`` on up to
  /// ``Parallelism/maximumThreads`` threads for large ones.
  @inlinable
  static func run(_ table: LeafTable, mayUseThreads: Bool, _ kernel: @Sendable (Int, Int, Int) -> Void) {
    let leaves = table.leaves
    let counts = table.counts
    var total = 0
    for leaf in 0..<leaves { total &+= counts[leaf] }
    if mayUseThreads && total >= alwaysSerialBelow {
      let setting = Parallelism.current
      if setting.maximumThreads > 1 && total >= setting.minimumParallelScalars {
        runInParallel(table, total: total, setting: setting, kernel)
        return
      }
    }
    for leaf in 0..<leaves {
      if leaf + 1 < leaves { table.prefetch(leaf + 1) }
      kernel(leaf, 0, counts[leaf])
    }
  }

  /// Splits the step into work items — runs of small leaves, or blocks of a
  /// large leaf — and lets the threads take them in turn.
  @inlinable
  static func runInParallel(
    _ table: LeafTable, total: Int, setting: Parallelism, _ kernel: @Sendable (Int, Int, Int) -> Void
  ) {
    let counts = table.counts
    let leaves = table.leaves
    let block = setting.blockScalars
    let capacity = 2 * leaves + total / block + 1
    ScratchPool.withScratch(byteCount: capacity * MemoryLayout<WorkItem>.stride) { scratch in
      let items = scratch.bindMemory(to: WorkItem.self, capacity: capacity)
      var count = 0
      var groupStart = 0
      var groupScalars = 0
      for leaf in 0..<leaves {
        let scalars = counts[leaf]
        if scalars > block {
          if groupStart < leaf {
            items[count] = WorkItem(first: groupStart, end: leaf, lo: -1, hi: -1)
            count += 1
          }
          var lo = 0
          while lo < scalars {
            let hi = min(lo + block, scalars)
            items[count] = WorkItem(first: leaf, end: leaf + 1, lo: lo, hi: hi)
            count += 1
            lo = hi
          }
          groupStart = leaf + 1
          groupScalars = 0
        } else {
          groupScalars += scalars
          if groupScalars >= block {
            items[count] = WorkItem(first: groupStart, end: leaf + 1, lo: -1, hi: -1)
            count += 1
            groupStart = leaf + 1
            groupScalars = 0
          }
        }
      }
      if groupStart < leaves {
        items[count] = WorkItem(first: groupStart, end: leaves, lo: -1, hi: -1)
        count += 1
      }
      let shared = SharedItems(items: items, count: count)
      let threads = min(setting.maximumThreads, count)
      let next = Atomic<Int>(0)
      DispatchQueue.concurrentPerform(iterations: threads) { _ in
        while true {
          let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
          if index >= shared.count { break }
          let item = shared.items[index]
          if item.lo >= 0 {
            kernel(item.first, item.lo, item.hi)
          } else {
            for leaf in item.first..<item.end {
              if leaf + 1 < item.end { table.prefetch(leaf + 1) }
              kernel(leaf, 0, table.counts[leaf])
            }
          }
        }
      }
    }
  }
}
