/// The bit-for-bit comparison of two leaf sequences, shared by
/// ``VectorSpace/bitPatternsEqual(_:)`` (a vector's leaves) and
/// ``Differentiable/parametersBitwiseEqual(_:)`` (a model's parameter leaves).
///
/// Two scalars are equal when their IEEE bit patterns are: −0 differs from +0,
/// and a NaN equals a NaN of the same sign and payload.
///
/// - Complexity: O(*n*), stopping at the first difference.
@usableFromInline enum LeafComparison {
  /// Whether both sequences have `count` leaves of the same shapes and every
  /// pair of leaves has the same bit patterns.
  ///
  /// - Parameters:
  ///   - count: The first sequence's number of leaves.
  ///   - otherCount: The second's.
  ///   - shapes: Leaf `index`'s shape in each sequence.
  ///   - withLeaves: Calls its closure with leaf `index` of each sequence.
  @inlinable static func bitwiseEqual<S: ParameterScalar>(
    count: Int, otherCount: Int, shapes: (Int) -> ([Int], [Int]),
    withLeaves: (Int, (UnsafeBufferPointer<S>, UnsafeBufferPointer<S>) -> Bool) -> Bool
  ) -> Bool {
    guard count == otherCount else { return false }
    for index in 0..<count {
      let (shape, otherShape) = shapes(index)
      guard shape == otherShape, withLeaves(index, bitwiseEqual) else { return false }
    }
    return true
  }

  /// Whether `a` and `b` have the same length and bit patterns.
  @inlinable static func bitwiseEqual<S: ParameterScalar>(
    _ a: UnsafeBufferPointer<S>, _ b: UnsafeBufferPointer<S>
  ) -> Bool {
    a.elementsEqual(b) { $0.ieeeBits == $1.ieeeBits }
  }
}
