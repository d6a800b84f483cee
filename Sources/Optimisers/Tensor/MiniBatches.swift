/// Seeded mini-batches: every epoch visits the examples of a data set once, in a
/// fresh random order that depends only on the seed and the epoch number.
///
/// Because the order of epoch e is a pure function of (seed, e), a run that
/// stops after any epoch and resumes from a checkpoint draws exactly the batches
/// the uninterrupted run would have drawn; no generator state needs saving.
///
/// ```swift
/// let batches = MiniBatches(count: 1_437, batchSize: 32, seed: 7)
/// for epoch in 0..<10 {
///   for indices in batches.batches(epoch: epoch) {
///     let x = images.rows(at: indices)       // a [indices.count, 64] batch
///   }
/// }
/// ```
///
/// The order is a Fisher–Yates shuffle driven by ``SplitMix64`` with unbiased
/// bounded draws (rejection below 2⁶⁴ mod n), so it is the same on every
/// platform and toolchain.
///
/// - Complexity: ``order(epoch:)`` and ``batches(epoch:)`` are O(`count`).
/// - References: Fisher and Yates, *Statistical Tables*, 1938; Durstenfeld,
///   *Algorithm 235: Random Permutation*, CACM 1964.
public struct MiniBatches: Sendable, Hashable {
  /// The number of examples, ≥ 0.
  public let count: Int
  /// The examples per batch, ≥ 1; the last batch of an epoch may be shorter.
  public let batchSize: Int
  /// The seed every epoch's order is derived from.
  public let seed: UInt64
  /// Whether an epoch omits its last, shorter batch; default `false`.
  public let dropsLast: Bool

  /// Creates the batching of `count` examples.
  ///
  /// - Parameters:
  ///   - count: The number of examples, ≥ 0.
  ///   - batchSize: Examples per batch, ≥ 1.
  ///   - seed: The shuffle's seed.
  ///   - dropsLast: Whether to omit a final batch smaller than `batchSize`.
  /// - Precondition: `count` ≥ 0 and `batchSize` ≥ 1.
  /// - Complexity: O(1).
  public init(count: Int, batchSize: Int, seed: UInt64, dropsLast: Bool = false) {
    precondition(count >= 0, "MiniBatches: count must be non-negative, got \(count)")
    precondition(batchSize >= 1, "MiniBatches: batchSize must be at least 1, got \(batchSize)")
    self.count = count
    self.batchSize = batchSize
    self.seed = seed
    self.dropsLast = dropsLast
  }

  /// The number of batches in every epoch.
  ///
  /// - Complexity: O(1).
  public var batchesPerEpoch: Int {
    dropsLast ? count / batchSize : (count + batchSize - 1) / batchSize
  }

  /// The permutation of `0..<count` that epoch `epoch` visits.
  ///
  /// - Parameter epoch: The epoch number, ≥ 0.
  /// - Returns: Every index once, in the epoch's order.
  /// - Complexity: O(`count`).
  public func order(epoch: Int) -> [Int] {
    precondition(epoch >= 0, "MiniBatches: epoch must be non-negative, got \(epoch)")
    var epochMixer = SplitMix64(seed: UInt64(epoch))
    var generator = SplitMix64(seed: seed ^ epochMixer.next())
    var indices = Array(0..<count)
    var i = count - 1
    while i > 0 {
      let bound = UInt64(i + 1)
      let threshold = (0 &- bound) % bound
      var draw = generator.next()
      while draw < threshold { draw = generator.next() }
      indices.swapAt(i, Int(draw % bound))
      i -= 1
    }
    return indices
  }

  /// The batches of epoch `epoch`: ``order(epoch:)`` cut into runs of
  /// ``batchSize``.
  ///
  /// - Parameter epoch: The epoch number, ≥ 0.
  /// - Returns: ``batchesPerEpoch`` arrays of example indices.
  /// - Complexity: O(`count`).
  public func batches(epoch: Int) -> [[Int]] {
    let indices = order(epoch: epoch)
    return (0..<batchesPerEpoch).map { b in
      Array(indices[(b * batchSize)..<Swift.min(count, (b + 1) * batchSize)])
    }
  }
}
