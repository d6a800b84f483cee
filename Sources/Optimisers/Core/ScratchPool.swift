import Synchronization

/// Reusable scratch memory for the leaf walk, so that a step over many leaves
/// allocates nothing once the first step has run.
///
/// A step needs a few words per leaf (addresses, counts, work items). Up to 1 KiB
/// comes from the stack; larger tables come from a small lock-free pool of heap
/// blocks that are taken for the duration of a step and handed back after it.
/// Concurrent steps each take their own block (or allocate one when the pool is
/// empty); at most four blocks are kept, the rest freed.
///
/// - Complexity: O(1) per request; one allocation the first time a size is
///   exceeded.
@usableFromInline
enum ScratchPool {
  /// Bytes before the usable region: the block's capacity, padded for alignment.
  @usableFromInline static var header: Int { 64 }

  // The slots hold block addresses as integers (0: empty), as raw pointers are
  // not `Sendable`.
  @usableFromInline static let first = Atomic<Int>(0)
  @usableFromInline static let second = Atomic<Int>(0)
  @usableFromInline static let third = Atomic<Int>(0)
  @usableFromInline static let fourth = Atomic<Int>(0)

  /// Calls `body` with at least `byteCount` bytes of uninitialised scratch,
  /// aligned to 16 bytes, valid during the call.
  @inlinable
  static func withScratch<R>(byteCount: Int, _ body: (UnsafeMutableRawPointer) -> R) -> R {
    if byteCount <= 1024 {
      return withUnsafeTemporaryAllocation(byteCount: max(byteCount, 1), alignment: 16) { body($0.baseAddress!) }
    }
    let block = take(byteCount: byteCount)
    defer { give(block) }
    return body(block + header)
  }

  /// Calls `body` with each slot until it returns a non-nil value.
  @usableFromInline
  static func firstSlot<R>(_ body: (borrowing Atomic<Int>) -> R?) -> R? {
    if let result = body(first) { return result }
    if let result = body(second) { return result }
    if let result = body(third) { return result }
    return body(fourth)
  }

  /// A block of at least `byteCount` usable bytes: a pooled one if one is big
  /// enough, else a new one.
  @usableFromInline
  static func take(byteCount: Int) -> UnsafeMutableRawPointer {
    let pooled = firstSlot { slot in UnsafeMutableRawPointer(bitPattern: slot.exchange(0, ordering: .acquiring)) }
    if let block = pooled {
      if block.load(as: Int.self) >= byteCount { return block }
      block.deallocate()
    }
    // Round up to a power of two so a model that grows a little reuses blocks.
    var capacity = 4096
    while capacity < byteCount { capacity *= 2 }
    let block = UnsafeMutableRawPointer.allocate(byteCount: capacity + header, alignment: 64)
    block.storeBytes(of: capacity, as: Int.self)
    return block
  }

  /// Returns `block` to the pool, or frees it when the pool is full.
  @usableFromInline
  static func give(_ block: UnsafeMutableRawPointer) {
    let kept = firstSlot { slot -> Bool? in
      slot.compareExchange(expected: 0, desired: Int(bitPattern: block), ordering: .releasing).exchanged ? true : nil
    }
    if kept == nil { block.deallocate() }
  }
}
