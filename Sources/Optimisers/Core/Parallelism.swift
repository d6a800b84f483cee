import COptimisers

/// How many threads an optimiser step may use, and how it splits work among them.
///
/// ``LeafWalk/forEachLeaf(_:_:_:)`` runs a rule's elementwise kernel on the
/// calling thread for small models. When a step touches at least
/// ``minimumParallelScalars`` scalars, it cuts the leaves into work items of about
/// ``blockScalars`` scalars — a large leaf into several blocks, runs of small
/// leaves into one item — and runs them on up to ``maximumThreads`` threads with
/// Dispatch's `concurrentPerform`, each thread taking the next item as it
/// finishes the last.
///
/// The setting is a task-local value, so a cap applies to the code you scope it
/// to and nowhere else, and concurrent tasks can use different settings safely:
///
/// ```swift
/// Parallelism.$current.withValue(.serial) {
///   for _ in 0..<steps { optimiser.update(&state, &model, gradient(model)) }
/// }
/// Parallelism.$current.withValue(Parallelism(maximumThreads: 2)) { … }
/// ```
///
/// ## Mathematical properties
/// Rules' kernels are elementwise, so every element sees the same arithmetic
/// whatever thread computes it: results are **bitwise identical** for every
/// setting. Only the time changes.
///
/// - Complexity: Splitting is O(leaves + *n* / ``blockScalars``) per step.
/// - References: Apple, *Dispatch* `concurrentPerform`, 2009; Blumofe and
///   Leiserson, *Scheduling Multithreaded Computations by Work Stealing*, 1999
///   (dynamic self-scheduling of equal blocks).
public struct Parallelism: Sendable, Hashable {
  /// The most threads one step may use, the calling thread included; ≥ 1.
  /// Default: the processors this process may run on.
  public var maximumThreads: Int

  /// Steps over fewer scalars than this (all leaves together) run on the
  /// calling thread. Default 262,144 (2¹⁸). Measured with `optimisers-bench
  /// --sweep` on a 2-core machine: waking a second thread costs 10–20 µs, so a
  /// float32 Adam step gains 1.3–1.5× from two threads at 2¹⁸ scalars (1.9× at
  /// 2²⁰) while SGD, which does little arithmetic per byte, only breaks even
  /// near 2²⁰; 2¹⁸ keeps SGD's loss to about 10 µs.
  ///
  /// Steps over fewer than 1,024 scalars always run on the calling thread, so
  /// tiny problems never pay for reading this setting.
  public var minimumParallelScalars: Int

  /// The size of a work item, in scalars; leaves larger than this are cut into
  /// blocks of this many scalars (the last one shorter), and runs of smaller
  /// leaves are grouped up to it. Default 16,384 (2¹⁴): 64 KiB per float32
  /// buffer, so one item of a four-buffer rule fits in a 512 KiB L2 cache, and
  /// a step near the threshold has enough items for the second thread, which
  /// starts late, to take its share (measured: 1.25× against 0.94× with
  /// 2¹⁶-scalar blocks for Adam at 2¹⁷ scalars; no difference from 2²⁰ up).
  public var blockScalars: Int

  /// Creates a setting.
  ///
  /// - Parameters:
  ///   - maximumThreads: The most threads a step may use, ≥ 1; default
  ///     ``processorCount``.
  ///   - minimumParallelScalars: The smallest step, in scalars, that may use more
  ///     than one thread; default 262,144.
  ///   - blockScalars: Scalars per work item, ≥ 1; default 16,384.
  /// - Precondition: `maximumThreads` ≥ 1, `blockScalars` ≥ 1 and
  ///   `minimumParallelScalars` ≥ 0.
  /// - Complexity: O(1).
  public init(
    maximumThreads: Int = Parallelism.processorCount,
    minimumParallelScalars: Int = 1 << 18,
    blockScalars: Int = 1 << 14
  ) {
    precondition(maximumThreads >= 1, "Parallelism.maximumThreads must be at least 1, got \(maximumThreads)")
    precondition(blockScalars >= 1, "Parallelism.blockScalars must be at least 1, got \(blockScalars)")
    precondition(
      minimumParallelScalars >= 0,
      "Parallelism.minimumParallelScalars must be non-negative, got \(minimumParallelScalars)")
    self.maximumThreads = maximumThreads
    self.minimumParallelScalars = minimumParallelScalars
    self.blockScalars = blockScalars
  }

  /// Every step on the calling thread.
  ///
  /// - Complexity: O(1).
  public static var serial: Parallelism { Parallelism(maximumThreads: 1) }

  /// The number of processors this process may run on (its CPU affinity on
  /// Linux), at least 1.
  ///
  /// - Complexity: O(1).
  public static let processorCount: Int = max(1, Int(optimisers_processor_count()))

  /// The setting in effect for the current task (or thread, outside a task).
  ///
  /// Change it for a scope with `Parallelism.$current.withValue(_:operation:)`.
  /// Default: ``init(maximumThreads:minimumParallelScalars:blockScalars:)`` with
  /// its defaults.
  @TaskLocal public static var current = Parallelism()
}
