extension Tensor: VectorSpace, Differentiable {
  /// A tensor is its own tangent vector.
  public typealias TangentVector = Tensor

  /// The additive identity: a rank-0 zero, which broadcasts against any shape.
  ///
  /// - Complexity: O(1).
  @inlinable public static var zero: Tensor { Tensor(scalar: 0) }

  /// A tensor has one leaf: itself.
  ///
  /// - Complexity: O(1).
  @inlinable public var leafCount: Int { 1 }

  /// The tensor's ``shape``.
  ///
  /// - Complexity: O(1).
  @inlinable public func leafShape(at index: Int) -> [Int] { shape }

  /// Calls `body` with the tensor's scalars.
  ///
  /// - Complexity: O(1) plus the cost of `body`.
  @inlinable public func withLeaf<R>(
    at index: Int, _ body: (UnsafeBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try withUnsafeBufferPointer(body)
  }

  /// Calls `body` with mutable access to the tensor's scalars.
  ///
  /// - Complexity: O(1) when the buffer is unique, plus the cost of `body`.
  @inlinable public mutating func withMutableLeaf<R>(
    at index: Int, _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try withUnsafeMutableBufferPointer(body)
  }

  /// Writes this tensor's own address.
  ///
  /// - Precondition: `addresses.count` is 1.
  /// - Complexity: O(1) plus the cost of `body`.
  @inlinable public func withTensorLeaves<R>(
    _ addresses: UnsafeMutableBufferPointer<UnsafePointer<Tensor>>, _ body: () throws -> R
  ) rethrows -> R? {
    precondition(addresses.count == 1, "a tensor has one leaf, not \(addresses.count)")
    return try withUnsafePointer(to: self) { address in
      addresses[0] = address
      return try body()
    }
  }

  /// Writes this tensor's own address.
  ///
  /// - Precondition: `addresses.count` is 1.
  /// - Complexity: O(1) plus the cost of `body`.
  @inlinable public mutating func withMutableTensorLeaves<R>(
    _ addresses: UnsafeMutableBufferPointer<UnsafeMutablePointer<Tensor>>, _ body: () throws -> R
  ) rethrows -> R? {
    precondition(addresses.count == 1, "a tensor has one leaf, not \(addresses.count)")
    return try withUnsafeMutablePointer(to: &self) { address in
      addresses[0] = address
      return try body()
    }
  }

  /// Zeros of this tensor's shape.
  ///
  /// - Complexity: O(*n*).
  @inlinable public var zeroTangentVector: Tensor { Tensor.zeros(shape) }

  /// Adds `offset` elementwise; a rank-0 offset is added to every element.
  ///
  /// - Precondition: `offset` has this tensor's shape or is rank 0.
  /// - Complexity: O(*n*).
  @inlinable public mutating func move(by offset: Tensor) {
    self += offset
  }
}
