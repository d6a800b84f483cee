import Dispatch
import Synchronization

/// N ranks as N threads of this process, exchanging buffers through shared
/// memory: every distributed law can be checked in `swift test` without MPI,
/// and a model can be trained data-parallel on one machine.
///
/// ```swift
/// let results = InProcessCollective.run(ranks: 4) { collective in
///   let optimiser = DataParallel(Sharded(Adam<LeafGroup<Model>>(), over: collective), over: collective)
///   // … each rank trains on its part of each batch …
///   return model
/// }
/// ```
///
/// Sums are taken in rank order, ((x₀ + x₁) + x₂) + …, by every rank, so every
/// rank gets the same bits and the result never depends on timing.
///
/// - Complexity: Each operation is two barriers plus O(N · *n*) scalar reads
///   per rank for sums, O(*n*) for gathers.
/// - References: MPI 4.0, chapter 6 (the operations' semantics).
public struct InProcessCollective: Collective {
  /// This thread's rank.
  public let rank: Int
  /// What the ranks share.
  let group: InProcessGroup

  /// The number of ranks.
  ///
  /// - Complexity: O(1).
  public var size: Int { group.size }

  init(rank: Int, group: InProcessGroup) {
    self.rank = rank
    self.group = group
  }

  /// Runs `body` on `ranks` threads, each with its own rank's collective, and
  /// returns their results in rank order.
  ///
  /// Every rank must make the same sequence of collective calls; a rank that
  /// stops calling while others wait blocks them forever.
  ///
  /// - Parameters:
  ///   - ranks: The number of ranks, at least 1.
  ///   - body: One rank's work.
  /// - Returns: `body`'s result for ranks 0, 1, ….
  /// - Complexity: `ranks` threads, each running `body`.
  public static func run<Result: Sendable>(
    ranks: Int, _ body: @Sendable (InProcessCollective) -> Result
  ) -> [Result] {
    precondition(ranks >= 1, "InProcessCollective needs at least one rank, not \(ranks)")
    let group = InProcessGroup(size: ranks)
    if ranks == 1 { return [body(InProcessCollective(rank: 0, group: group))] }
    let results = Mutex<[Result?]>([Result?](repeating: nil, count: ranks))
    let finished = DispatchGroup()
    withoutActuallyEscaping(body) { body in
      for rank in 0..<ranks {
        // A queue of its own per rank: each gets a thread even when the ranks
        // outnumber the cores, since they block on one another.
        DispatchQueue(label: "InProcessCollective.rank\(rank)").async(group: finished) {
          let result = body(InProcessCollective(rank: rank, group: group))
          results.withLock { $0[rank] = result }
        }
      }
      finished.wait()
    }
    return results.withLock { $0.map { $0! } }
  }

  /// Sums every rank's `buffer` in rank order into each rank's `buffer`.
  ///
  /// - Complexity: O(N · *n*).
  public func allReduceSum<Scalar: ParameterScalar>(_ buffer: UnsafeMutableBufferPointer<Scalar>) {
    if size == 1 { return }
    sum(UnsafeBufferPointer(buffer), from: 0, into: buffer)
  }

  /// This rank's segment of the sum, in rank order.
  ///
  /// - Complexity: O(N · `counts[rank]`).
  public func reduceScatterSum<Scalar: ParameterScalar>(
    _ buffer: UnsafeBufferPointer<Scalar>, counts: [Int], into result: UnsafeMutableBufferPointer<Scalar>
  ) {
    checkCounts(counts, total: buffer.count, operation: "reduceScatterSum")
    precondition(result.count == counts[rank], "reduceScatterSum: the result holds \(result.count) scalars, not \(counts[rank])")
    sum(buffer, from: counts[..<rank].reduce(0, +), into: result)
  }

  /// Every rank's `local`, concatenated in rank order.
  ///
  /// - Complexity: O(*n*).
  public func allGather<Scalar: ParameterScalar>(
    _ local: UnsafeBufferPointer<Scalar>, counts: [Int], into result: UnsafeMutableBufferPointer<Scalar>
  ) {
    checkCounts(counts, total: result.count, operation: "allGather")
    precondition(local.count == counts[rank], "allGather: rank \(rank) sends \(local.count) scalars, not \(counts[rank])")
    let sources = group.exchange(UnsafeRawPointer(local.baseAddress), rank: rank)
    var offset = 0
    for (source, count) in zip(sources, counts) {
      if count > 0, let source {
        let scalars = source.assumingMemoryBound(to: Scalar.self)
        for i in 0..<count { result[offset + i] = scalars[i] }
      }
      offset += count
    }
    group.barrier()
  }

  /// Rank `root`'s buffer, copied into every rank's.
  ///
  /// - Complexity: O(*n*).
  public func broadcast<Scalar: ParameterScalar>(_ buffer: UnsafeMutableBufferPointer<Scalar>, from root: Int) {
    precondition((0..<size).contains(root), "broadcast: root \(root) is not a rank of \(size)")
    let sources = group.exchange(UnsafeRawPointer(buffer.baseAddress), rank: rank)
    if rank != root, buffer.count > 0, let source = sources[root] {
      let scalars = source.assumingMemoryBound(to: Scalar.self)
      for i in 0..<buffer.count { buffer[i] = scalars[i] }
    }
    group.barrier()
  }

  /// Writes to `result` the Σ over ranks, in rank order, of elements
  /// `start..<start + result.count` of each rank's `buffer`, after every rank
  /// has read (so `result` may be the rank's own `buffer`); every rank must
  /// have published the same length.
  func sum<Scalar: ParameterScalar>(
    _ buffer: UnsafeBufferPointer<Scalar>, from start: Int, into result: UnsafeMutableBufferPointer<Scalar>
  ) {
    let sources = group.exchange(UnsafeRawPointer(buffer.baseAddress), rank: rank)
    var sum: [Scalar] = []
    if result.count > 0 {
      let first = sources[0]!.assumingMemoryBound(to: Scalar.self) + start
      sum = Array(UnsafeBufferPointer(start: first, count: result.count))
      for source in sources.dropFirst() {
        let scalars = source!.assumingMemoryBound(to: Scalar.self) + start
        for i in 0..<result.count { sum[i] += scalars[i] }
      }
    }
    group.barrier()
    for i in 0..<result.count { result[i] = sum[i] }
  }
}
