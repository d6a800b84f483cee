import Dispatch
import Synchronization

/// What the threads of an ``InProcessCollective`` share: a reusable barrier and
/// one published buffer address per rank.
///
/// An operation is publish, barrier, read the others' buffers, barrier: after
/// the second barrier no rank reads any buffer of this operation, so each rank
/// may reuse or free its own.
final class InProcessGroup: Sendable {
  /// The number of ranks.
  let size: Int
  /// Arrivals at the current barrier and the barrier's generation.
  private let arrivals = Mutex<(count: Int, generation: Int)>((0, 0))
  /// Alternating gates, so that a rank racing ahead to the next barrier never
  /// takes a wake-up meant for a rank still leaving this one.
  private let gates = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
  /// One published address per rank (as an integer, to be `Sendable`).
  private let addresses: Mutex<[UInt]>

  init(size: Int) {
    self.size = size
    addresses = Mutex([UInt](repeating: 0, count: size))
  }

  /// Blocks until every rank has called it.
  func barrier() {
    if size == 1 { return }
    let (isLast, generation) = arrivals.withLock { state -> (Bool, Int) in
      let generation = state.generation
      state.count += 1
      if state.count < size { return (false, generation) }
      state.count = 0
      state.generation += 1
      return (true, generation)
    }
    let gate = gates[generation & 1]
    if isLast {
      for _ in 1..<size { gate.signal() }
    } else {
      gate.wait()
    }
  }

  /// Publishes `address` for `rank`, waits for every rank to do the same, and
  /// returns every rank's address.
  func exchange(_ address: UnsafeRawPointer?, rank: Int) -> [UnsafeRawPointer?] {
    addresses.withLock { $0[rank] = UInt(bitPattern: address) }
    barrier()
    return addresses.withLock { $0 }.map { UnsafeRawPointer(bitPattern: $0) }
  }
}
