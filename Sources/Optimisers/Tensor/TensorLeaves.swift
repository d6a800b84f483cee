/// Arithmetic on lists of tensor leaves in which an empty list stands for the
/// zero vector of any shape: the vector-space operations shared by ``Tangent``
/// and `LeafGroup.TangentVector`.
///
/// - Complexity: Every operation is O(*n*) in the scalars.
@usableFromInline
enum TensorLeaves {
  /// Leaf-by-leaf sum; an empty list on either side returns the other.
  @inlinable
  static func sum<S: ParameterScalar>(_ lhs: [Tensor<S>], _ rhs: [Tensor<S>]) -> [Tensor<S>] {
    if lhs.isEmpty { return rhs }
    if rhs.isEmpty { return lhs }
    return zip(lhs, rhs).map { $0 + $1 }
  }

  /// Leaf-by-leaf difference; an empty list reads as zeros.
  @inlinable
  static func difference<S: ParameterScalar>(_ lhs: [Tensor<S>], _ rhs: [Tensor<S>]) -> [Tensor<S>] {
    if rhs.isEmpty { return lhs }
    if lhs.isEmpty { return rhs.map { -$0 } }
    return zip(lhs, rhs).map { $0 - $1 }
  }

  /// Every leaf scaled by `factor`.
  @inlinable
  static func scaled<S: ParameterScalar>(_ leaves: [Tensor<S>], by factor: S) -> [Tensor<S>] {
    leaves.map { factor * $0 }
  }

  /// Elementwise equality; an empty list equals only all-zero leaves.
  @inlinable
  static func equal<S: ParameterScalar>(_ lhs: [Tensor<S>], _ rhs: [Tensor<S>]) -> Bool {
    if lhs.isEmpty || rhs.isEmpty {
      let other = lhs.isEmpty ? rhs : lhs
      return other.allSatisfy { $0.withUnsafeBufferPointer { $0.allSatisfy { $0 == 0 } } }
    }
    return lhs == rhs
  }

  /// Writes `address(i)` for each of `count` leaves into `addresses`, then
  /// runs `body`: the fast-path hand-off of ``Tangent``'s leaf tensors, read
  /// only or mutable (`P` is the pointer type).
  ///
  /// - Precondition: `addresses.count` equals `count`.
  @inlinable
  static func publish<P, R>(
    _ count: Int, into addresses: UnsafeMutableBufferPointer<P>, address: (Int) -> P, _ body: () throws -> R
  ) rethrows -> R {
    precondition(addresses.count == count, "Tangent has \(count) leaves, not \(addresses.count)")
    for index in 0..<count { addresses[index] = address(index) }
    return try body()
  }
}
