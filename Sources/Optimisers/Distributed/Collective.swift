/// A group of processes (ranks) that exchange buffers of scalars: the
/// communication a data-parallel or sharded step needs, and nothing more.
///
/// Every rank runs the same program and calls the same operations in the same
/// order with buffers of the same lengths (MPI's collective semantics). The
/// library ships ``InProcessCollective`` (ranks as threads of one process, for
/// tests and single-machine runs); the `OptimisersMPI` package in
/// `Integrations/MPI` implements it over MPI.
///
/// ## Requirements on an implementation
/// Sums must be **the same bits on every rank**: a rank-dependent summation
/// order would make the ranks' parameters drift apart. ``InProcessCollective``
/// adds in rank order, ((x₀ + x₁) + x₂) + …, on every rank. For two ranks any
/// order gives the same bits (addition is commutative).
///
/// - Complexity: With a ring algorithm, ``allReduceSum(_:)`` sends
///   2(N − 1)/N of the buffer from each rank, ``reduceScatterSum(_:counts:into:)``
///   and ``allGather(_:counts:into:)`` (N − 1)/N of it, for N ranks.
/// - References: Message Passing Interface Forum, *MPI: A Message-Passing
///   Interface Standard* 4.0, 2021, chapter 6 (collective communication);
///   Patarasuk and Yuan, *Bandwidth optimal all-reduce algorithms for clusters
///   of workstations*, JPDC 2009.
public protocol Collective: Sendable {
  /// This process's index, in 0..<``size``.
  var rank: Int { get }
  /// The number of ranks, at least 1.
  var size: Int { get }

  /// Replaces `buffer` on every rank by the elementwise sum of every rank's
  /// `buffer` (`MPI_Allreduce` with `MPI_SUM`).
  ///
  /// - Parameter buffer: The same length on every rank.
  /// - Complexity: O(*n*) per rank, plus the transfer.
  func allReduceSum<Scalar: ParameterScalar>(_ buffer: UnsafeMutableBufferPointer<Scalar>)

  /// Writes into `result` rank *r*'s segment of the elementwise sum of every
  /// rank's `buffer`, the segments being `counts[0]`, `counts[1]`, … scalars
  /// long in rank order (`MPI_Reduce_scatter`).
  ///
  /// - Parameters:
  ///   - buffer: `counts.reduce(0, +)` scalars, on every rank.
  ///   - counts: One segment length per rank, the same on every rank.
  ///   - result: `counts[rank]` scalars.
  /// - Complexity: O(*n*) per rank, plus the transfer.
  func reduceScatterSum<Scalar: ParameterScalar>(
    _ buffer: UnsafeBufferPointer<Scalar>, counts: [Int], into result: UnsafeMutableBufferPointer<Scalar>)

  /// Concatenates every rank's `local` in rank order into `result`, on every
  /// rank (`MPI_Allgatherv`).
  ///
  /// - Parameters:
  ///   - local: `counts[rank]` scalars.
  ///   - counts: One length per rank, the same on every rank.
  ///   - result: `counts.reduce(0, +)` scalars.
  /// - Complexity: O(*n*) per rank, plus the transfer.
  func allGather<Scalar: ParameterScalar>(
    _ local: UnsafeBufferPointer<Scalar>, counts: [Int], into result: UnsafeMutableBufferPointer<Scalar>)

  /// Copies rank `root`'s `buffer` into every other rank's (`MPI_Bcast`).
  ///
  /// - Parameters:
  ///   - buffer: The same length on every rank.
  ///   - root: The rank whose values are sent.
  /// - Complexity: O(*n*) per rank, plus the transfer.
  func broadcast<Scalar: ParameterScalar>(_ buffer: UnsafeMutableBufferPointer<Scalar>, from root: Int)
}

extension Collective {
  /// Stops with a message unless `counts` has one non-negative entry per rank
  /// summing to `total`; implementations call it before exchanging.
  ///
  /// - Complexity: O(``size``).
  public func checkCounts(_ counts: [Int], total: Int, operation: String) {
    precondition(
      counts.count == size, "\(operation): \(counts.count) counts for \(size) ranks")
    precondition(counts.allSatisfy { $0 >= 0 }, "\(operation): negative count in \(counts)")
    let sum = counts.reduce(0, +)
    precondition(sum == total, "\(operation): the counts \(counts) sum to \(sum), but the buffer has \(total) scalars")
  }
}
