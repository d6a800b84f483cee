import CMPI
import Optimisers

/// ``Optimisers/Collective`` over MPI's `MPI_COMM_WORLD`: one rank per process
/// started by `mpirun`.
///
/// ```swift
/// MPICollective.run { collective in
///   let optimiser = DataParallel(Sharded(Adam<LeafGroup<Model>>(), over: collective), over: collective)
///   …
/// }
/// ```
///
/// Each operation is one MPI call on the caller's buffer, without copies:
/// `MPI_Allreduce` with `MPI_IN_PLACE`, `MPI_Reduce_scatter`,
/// `MPI_Allgatherv`, `MPI_Bcast`, in `MPI_FLOAT` or `MPI_DOUBLE`. MPI's
/// default error handler aborts every rank on a failure, so no call returns an
/// error.
///
/// The sums are MPI's: the MPI standard asks implementations to give every
/// rank the same result, and Open MPI's algorithms do; with two ranks any
/// order gives the same bits.
///
/// - Complexity: As the MPI implementation's algorithms (a ring all-reduce
///   sends 2(N − 1)/N of the buffer per rank).
/// - References: MPI 4.0, chapter 6.
public struct MPICollective: Collective {
  /// This process's rank in `MPI_COMM_WORLD`.
  public let rank: Int
  /// The number of processes in `MPI_COMM_WORLD`.
  public let size: Int

  /// The world communicator's collective; MPI must be initialised.
  public init() {
    var rank: Int32 = 0, size: Int32 = 0
    MPI_Comm_rank(cmpi_comm_world(), &rank)
    MPI_Comm_size(cmpi_comm_world(), &size)
    self.rank = Int(rank)
    self.size = Int(size)
  }

  /// Initialises MPI, runs `body` with the world's collective, and finalises
  /// MPI.
  ///
  /// - Parameter body: This process's work.
  /// - Returns: What `body` returns.
  public static func run<Result>(_ body: (MPICollective) throws -> Result) rethrows -> Result {
    MPI_Init(nil, nil)
    defer { MPI_Finalize() }
    return try body(MPICollective())
  }

  static func datatype<Scalar: ParameterScalar>(_: Scalar.Type) -> MPI_Datatype {
    if Scalar.self == Double.self { return cmpi_double() }
    if Scalar.self == Float.self { return cmpi_float() }
    preconditionFailure("MPICollective: no MPI datatype for \(Scalar.self)")
  }

  static func count(_ n: Int) -> Int32 {
    guard let count = Int32(exactly: n) else { preconditionFailure("MPICollective: \(n) scalars exceed MPI's count range") }
    return count
  }

  /// `MPI_Allreduce(MPI_IN_PLACE, buffer, …, MPI_SUM)`.
  public func allReduceSum<Scalar: ParameterScalar>(_ buffer: UnsafeMutableBufferPointer<Scalar>) {
    if buffer.isEmpty || size == 1 { return }
    MPI_Allreduce(
      cmpi_in_place(), buffer.baseAddress, Self.count(buffer.count), Self.datatype(Scalar.self), cmpi_sum(),
      cmpi_comm_world())
  }

  /// `MPI_Reduce_scatter(buffer, result, counts, …, MPI_SUM)`.
  public func reduceScatterSum<Scalar: ParameterScalar>(
    _ buffer: UnsafeBufferPointer<Scalar>, counts: [Int], into result: UnsafeMutableBufferPointer<Scalar>
  ) {
    checkCounts(counts, total: buffer.count, operation: "reduceScatterSum")
    precondition(result.count == counts[rank], "reduceScatterSum: the result holds \(result.count) scalars, not \(counts[rank])")
    var placeholder = Scalar.zero
    let counts = counts.map(Self.count)
    withUnsafeMutablePointer(to: &placeholder) { spare in
      _ = MPI_Reduce_scatter(
        buffer.baseAddress ?? UnsafePointer(spare), result.baseAddress ?? spare, counts, Self.datatype(Scalar.self),
        cmpi_sum(), cmpi_comm_world())
    }
  }

  /// `MPI_Allgatherv(local, …, result, counts, displacements, …)`.
  public func allGather<Scalar: ParameterScalar>(
    _ local: UnsafeBufferPointer<Scalar>, counts: [Int], into result: UnsafeMutableBufferPointer<Scalar>
  ) {
    checkCounts(counts, total: result.count, operation: "allGather")
    precondition(local.count == counts[rank], "allGather: rank \(rank) sends \(local.count) scalars, not \(counts[rank])")
    var displacements: [Int32] = [], offset = 0
    for count in counts {
      displacements.append(Self.count(offset))
      offset += count
    }
    var placeholder = Scalar.zero
    let type = Self.datatype(Scalar.self)
    withUnsafeMutablePointer(to: &placeholder) { spare in
      _ = MPI_Allgatherv(
        local.baseAddress ?? UnsafePointer(spare), Self.count(local.count), type, result.baseAddress ?? spare,
        counts.map(Self.count), displacements, type, cmpi_comm_world())
    }
  }

  /// `MPI_Bcast(buffer, …, root)`.
  public func broadcast<Scalar: ParameterScalar>(_ buffer: UnsafeMutableBufferPointer<Scalar>, from root: Int) {
    precondition((0..<size).contains(root), "broadcast: root \(root) is not a rank of \(size)")
    if buffer.isEmpty { return }
    MPI_Bcast(buffer.baseAddress, Self.count(buffer.count), Self.datatype(Scalar.self), Int32(root), cmpi_comm_world())
  }

  /// Seconds since an arbitrary moment (`MPI_Wtime`).
  public static var wallTime: Double { MPI_Wtime() }
}
