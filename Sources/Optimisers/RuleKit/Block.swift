/// A contiguous block of one leaf: the parameters, the gradient and every state
/// buffer at the same positions, as an elementwise kernel sees them.
///
/// ```swift
/// walk { b in
///   let m = b[0]
///   for i in b.indices {
///     m[i] = mu * m[i] + b.gradient(i)
///     b.p[i] -= rate * m[i]
///   }
/// }
/// ```
///
/// `b[k]` is buffer *k* in the order of the state's
/// ``BufferedState/forEachBuffer(_:)``; ``gradient(_:)`` applies the chain's
/// fused ``GradientMap`` to the raw gradient.
public struct Block<Scalar: ParameterScalar, Map: GradientMap> {
  /// The leaf's index among the parameters' leaves.
  public let leaf: Int
  /// Where the block starts within its leaf.
  public let offset: Int
  /// The number of scalars in the block.
  public let count: Int
  /// The parameters, written in place.
  public let p: UnsafeMutablePointer<Scalar>
  /// The gradient as received, before the fused map.
  public let rawGradient: UnsafePointer<Scalar>
  /// The gradient map for this leaf.
  public let map: Map
  @usableFromInline let table: LeafTable
  /// The first four state buffers' bases in this leaf, read from the table once
  /// per block: `b[0]` inside a loop is then loop-invariant and the loop
  /// vectorises (a read from the table after every store could not be hoisted).
  @usableFromInline let firstBuffers:
    (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?)

  @inlinable
  init(table: LeafTable, leaf: Int, lo: Int, hi: Int, map: Map) {
    self.table = table
    self.leaf = leaf
    self.offset = lo
    self.count = hi - lo
    self.map = map.forLeaf(leaf)
    p = table.base(0, leaf)!.assumingMemoryBound(to: Scalar.self) + lo
    rawGradient = UnsafePointer(table.base(1, leaf)!.assumingMemoryBound(to: Scalar.self) + lo)
    func state(_ k: Int) -> UnsafeMutableRawPointer? { 2 + k < table.columns ? table.base(2 + k, leaf) : nil }
    firstBuffers = (state(0), state(1), state(2), state(3))
  }

  /// The positions `0..<count`.
  @inlinable public var indices: Range<Int> { 0..<count }

  /// The gradient at `i` after the fused map: map(gᵢ, pᵢ).
  @inlinable
  public func gradient(_ i: Int) -> Scalar { map.apply(rawGradient[i], parameter: p[i]) }

  /// State buffer `index`, of the parameters' scalar type.
  @inlinable
  public subscript(index: Int) -> UnsafeMutablePointer<Scalar> { buffer(index, as: Scalar.self) }

  /// State buffer `index`, of scalar type `T`.
  @inlinable
  public func buffer<T>(_ index: Int, as type: T.Type) -> UnsafeMutablePointer<T> {
    let stored: UnsafeMutableRawPointer?
    switch index {
    case 0: stored = firstBuffers.0
    case 1: stored = firstBuffers.1
    case 2: stored = firstBuffers.2
    case 3: stored = firstBuffers.3
    default: stored = table.base(2 + index, leaf)
    }
    guard let base = stored else {
      preconditionFailure("state buffer \(index) is absent (an optional buffer that this configuration does not keep)")
    }
    return base.assumingMemoryBound(to: T.self) + offset
  }

  /// Whether optional buffer `index` is present.
  @inlinable public func has(_ index: Int) -> Bool { table.base(2 + index, leaf) != nil }
}
