extension Float: VectorSpace, Differentiable {
  /// A `Float` is its own tangent vector.
  public typealias TangentVector = Float
  /// A `Float` has one leaf.
  ///
  /// - Complexity: O(1).
  @inlinable public var leafCount: Int { 1 }
  /// A scalar leaf has the rank-0 shape `[]`.
  ///
  /// - Complexity: O(1).
  @inlinable public func leafShape(at index: Int) -> [Int] { [] }
  /// Calls `body` with a one-element buffer holding the value.
  ///
  /// - Complexity: O(1) plus the cost of `body`.
  @inlinable public func withLeaf<R>(
    at index: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R
  ) rethrows -> R {
    try withUnsafePointer(to: self) { try body(UnsafeBufferPointer(start: $0, count: 1)) }
  }
  /// Calls `body` with a one-element mutable buffer holding the value.
  ///
  /// - Complexity: O(1) plus the cost of `body`.
  @inlinable public mutating func withMutableLeaf<R>(
    at index: Int, _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
  ) rethrows -> R {
    try withUnsafeMutablePointer(to: &self) { try body(UnsafeMutableBufferPointer(start: $0, count: 1)) }
  }
  /// Zero.
  ///
  /// - Complexity: O(1).
  @inlinable public var zeroTangentVector: Float { 0 }
  /// Adds `offset`: *p* ← *p* + *offset*.
  ///
  /// - Complexity: O(1).
  @inlinable public mutating func move(by offset: Float) { self += offset }
}

extension Double: VectorSpace, Differentiable {
  /// A `Double` is its own tangent vector.
  public typealias TangentVector = Double
  /// A `Double` has one leaf.
  ///
  /// - Complexity: O(1).
  @inlinable public var leafCount: Int { 1 }
  /// A scalar leaf has the rank-0 shape `[]`.
  ///
  /// - Complexity: O(1).
  @inlinable public func leafShape(at index: Int) -> [Int] { [] }
  /// Calls `body` with a one-element buffer holding the value.
  ///
  /// - Complexity: O(1) plus the cost of `body`.
  @inlinable public func withLeaf<R>(
    at index: Int, _ body: (UnsafeBufferPointer<Double>) throws -> R
  ) rethrows -> R {
    try withUnsafePointer(to: self) { try body(UnsafeBufferPointer(start: $0, count: 1)) }
  }
  /// Calls `body` with a one-element mutable buffer holding the value.
  ///
  /// - Complexity: O(1) plus the cost of `body`.
  @inlinable public mutating func withMutableLeaf<R>(
    at index: Int, _ body: (UnsafeMutableBufferPointer<Double>) throws -> R
  ) rethrows -> R {
    try withUnsafeMutablePointer(to: &self) { try body(UnsafeMutableBufferPointer(start: $0, count: 1)) }
  }
  /// Zero.
  ///
  /// - Complexity: O(1).
  @inlinable public var zeroTangentVector: Double { 0 }
  /// Adds `offset`: *p* ← *p* + *offset*.
  ///
  /// - Complexity: O(1).
  @inlinable public mutating func move(by offset: Double) { self += offset }
}
