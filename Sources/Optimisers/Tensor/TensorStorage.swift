/// The heap buffer behind a ``Tensor``: a fixed number of scalars, 64-byte aligned.
///
/// A storage object is shared between tensor values until one of them is mutated;
/// mutation first makes the buffer unique (copy-on-write), so a storage object that
/// is visible to more than one value is never written. That discipline is what makes
/// the `@unchecked Sendable` conformance sound.
///
/// - Complexity: Allocation and copying are O(*n*) in the number of scalars.
@usableFromInline
final class TensorStorage<Scalar: ParameterScalar>: @unchecked Sendable {
  /// The number of scalars in the buffer.
  @usableFromInline let count: Int
  /// The first scalar; valid for `count` elements while the storage is alive.
  @usableFromInline let base: UnsafeMutablePointer<Scalar>

  /// Allocates uninitialised room for `count` scalars and fills it with `value`.
  @inlinable
  init(count: Int, repeating value: Scalar) {
    self.count = count
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: Swift.max(count, 1) * MemoryLayout<Scalar>.stride, alignment: 64)
    self.base = raw.bindMemory(to: Scalar.self, capacity: Swift.max(count, 1))
    base.initialize(repeating: value, count: count)
  }

  /// Allocates a buffer holding a copy of `source`.
  @inlinable
  init(copying source: UnsafeBufferPointer<Scalar>) {
    self.count = source.count
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: Swift.max(count, 1) * MemoryLayout<Scalar>.stride, alignment: 64)
    self.base = raw.bindMemory(to: Scalar.self, capacity: Swift.max(count, 1))
    if let start = source.baseAddress { base.initialize(from: start, count: count) }
  }

  /// Allocates a buffer of `count` scalars and lets `body` initialise every one.
  @inlinable
  init(count: Int, initialisingWith body: (UnsafeMutableBufferPointer<Scalar>) -> Void) {
    self.count = count
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: Swift.max(count, 1) * MemoryLayout<Scalar>.stride, alignment: 64)
    self.base = raw.bindMemory(to: Scalar.self, capacity: Swift.max(count, 1))
    body(UnsafeMutableBufferPointer(start: base, count: count))
  }

  deinit {
    UnsafeMutableRawPointer(base).deallocate()
  }

  /// A read-only view of the scalars.
  @inlinable var buffer: UnsafeBufferPointer<Scalar> {
    UnsafeBufferPointer(start: base, count: count)
  }
}
