/// A value that gradient descent can move: parameters.
///
/// A differentiable value has a ``TangentVector`` — the type of its gradients and
/// of directions it can move in — and moves by one with ``move(by:)``. Its
/// parameters are stored as leaves that line up one to one with the leaves of its
/// tangent vector, which is how an ``Optimiser`` updates parameters and state in
/// one fused pass.
///
/// `Float`, `Double` and ``Tensor`` conform with `TangentVector == Self`. A struct
/// of your own conforms through ``Parameterised`` by naming its parameter fields
/// once; everything here then comes from defaults.
///
/// ## Mathematical properties
/// `move(by:)` is addition: for parameters *p* and tangent *t*,
/// `p.move(by: t)` gives *p* + *t*, and `p.move(by: zeroTangentVector)` leaves
/// *p* bitwise unchanged.
///
/// - Complexity: ``move(by:)`` is O(*n*) in the number of scalars.
/// - References: Griewank and Walther, *Evaluating Derivatives*, 2nd ed., 2008
///   (tangent and cotangent spaces); the Swift for TensorFlow
///   *Differentiable Programming Manifesto*, 2019.
public protocol Differentiable: Sendable {
  /// The type of gradients and of directions this value can move in.
  associatedtype TangentVector: VectorSpace

  /// Adds `offset` to this value: *p* ← *p* + *offset*.
  ///
  /// - Parameter offset: A tangent with the same leaf shapes as this value.
  /// - Precondition: The leaf shapes agree; otherwise the call stops with a
  ///   message naming both shapes.
  /// - Complexity: O(*n*).
  mutating func move(by offset: TangentVector)

  /// A tangent vector of zeros with this value's leaf shapes.
  ///
  /// Optimisers use it to create their state buffers.
  ///
  /// - Complexity: O(*n*).
  var zeroTangentVector: TangentVector { get }

  /// The number of parameter leaves; equal to `zeroTangentVector.leafCount`.
  ///
  /// - Complexity: O(1).
  var parameterLeafCount: Int { get }

  /// The shape of parameter leaf `index`.
  ///
  /// - Parameter index: A leaf index in `0..<parameterLeafCount`.
  /// - Complexity: O(1).
  func parameterLeafShape(at index: Int) -> [Int]

  /// A human-readable name for parameter leaf `index`, such as `layer1.weight`,
  /// used in error messages.
  ///
  /// - Parameter index: A leaf index in `0..<parameterLeafCount`.
  /// - Complexity: O(1).
  func parameterLeafName(at index: Int) -> String

  /// Calls `body` with mutable access to the scalars of parameter leaf `index`.
  ///
  /// - Parameters:
  ///   - index: A leaf index in `0..<parameterLeafCount`.
  ///   - body: Reads and writes the leaf's contiguous scalars.
  /// - Complexity: O(1) when the leaf's buffer is unique, plus the cost of `body`.
  mutating func withMutableParameterLeaf<R>(
    at index: Int, _ body: (UnsafeMutableBufferPointer<TangentVector.Scalar>) throws -> R
  ) rethrows -> R

  /// Calls `body` with the scalars of parameter leaf `index`.
  ///
  /// - Parameters:
  ///   - index: A leaf index in `0..<parameterLeafCount`.
  ///   - body: Reads the leaf's contiguous scalars.
  /// - Complexity: O(1) plus the cost of `body`.
  func withParameterLeaf<R>(
    at index: Int, _ body: (UnsafeBufferPointer<TangentVector.Scalar>) throws -> R
  ) rethrows -> R

}

extension Differentiable {

  /// Adds `offset` leaf by leaf, checking shapes.
  ///
  /// - Parameter offset: A tangent with this value's leaf shapes.
  /// - Complexity: O(*n*).
  @inlinable
  public mutating func move(by offset: TangentVector) {
    LeafWalk.checkShapes(of: self, offset, role: "offset")
    for index in 0..<parameterLeafCount {
      withMutableParameterLeaf(at: index) { p in
        offset.withLeaf(at: index) { t in
          for i in 0..<p.count { p[i] += t[i] }
        }
      }
    }
  }

  /// The shapes of all parameter leaves, in order.
  ///
  /// - Complexity: O(leafCount).
  @inlinable public var parameterLeafShapes: [[Int]] {
    (0..<parameterLeafCount).map { parameterLeafShape(at: $0) }
  }

  /// Whether two values have the same leaf shapes and bit-identical scalars.
  ///
  /// - Parameter other: The value to compare with.
  /// - Complexity: O(*n*).
  @inlinable public func parametersBitwiseEqual(_ other: Self) -> Bool {
    LeafComparison.bitwiseEqual(
      count: parameterLeafCount, otherCount: other.parameterLeafCount,
      shapes: { (parameterLeafShape(at: $0), other.parameterLeafShape(at: $0)) }
    ) { index, same in
      withParameterLeaf(at: index) { a in other.withParameterLeaf(at: index) { b in same(a, b) } }
    }
  }

  /// All parameter scalars, concatenated in leaf order.
  ///
  /// - Complexity: O(*n*).
  @inlinable public var flattenedParameters: [TangentVector.Scalar] {
    var result: [TangentVector.Scalar] = []
    for index in 0..<parameterLeafCount { withParameterLeaf(at: index) { result.append(contentsOf: $0) } }
    return result
  }
}

/// Differentiable values that are their own tangent: scalars and tensors.
extension Differentiable where Self: VectorSpace, TangentVector == Self {
  /// Equal to ``VectorSpace/leafCount``.
  ///
  /// - Complexity: O(1).
  @inlinable public var parameterLeafCount: Int { leafCount }
  /// Equal to ``VectorSpace/leafShape(at:)``.
  ///
  /// - Complexity: O(1).
  @inlinable public func parameterLeafShape(at index: Int) -> [Int] { leafShape(at: index) }
  /// `"value"` for a single leaf, `"leaf i"` otherwise.
  ///
  /// - Complexity: O(1).
  @inlinable public func parameterLeafName(at index: Int) -> String {
    leafCount == 1 ? "value" : "leaf \(index)"
  }
  /// Equal to ``VectorSpace/withMutableLeaf(at:_:)``.
  ///
  /// - Complexity: O(1) plus the cost of `body`.
  @inlinable public mutating func withMutableParameterLeaf<R>(
    at index: Int, _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try withMutableLeaf(at: index, body)
  }
  /// Equal to ``VectorSpace/withLeaf(at:_:)``.
  ///
  /// - Complexity: O(1) plus the cost of `body`.
  @inlinable public func withParameterLeaf<R>(
    at index: Int, _ body: (UnsafeBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try withLeaf(at: index, body)
  }
}
