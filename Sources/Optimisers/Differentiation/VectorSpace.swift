/// A vector space of gradients and optimiser state whose scalars live in one or
/// more contiguous leaves.
///
/// A conforming type is additive (`+`, `-`, `zero`), can be
/// scaled by a ``Scalar``, is `Codable` and `Sendable`, and exposes its storage as an
/// ordered list of *leaves*: contiguous, row-major buffers of scalars. The leaves
/// are what lets an optimiser walk a parameter value, its gradient and every state
/// buffer **in lockstep**, updating all of them in one fused pass per leaf (see
/// ``LeafWalk``).
///
/// `Float`, `Double` and ``Tensor`` are vector spaces with one leaf; the tangent of
/// a model, ``Tangent``, has one leaf per parameter.
///
/// ## Mathematical properties
/// For vectors *u*, *v* and scalars *a*, *b*: *u* + *v* = *v* + *u*,
/// *u* + 0 = *u*, *a*(*u* + *v*) = *au* + *av* up to floating-point rounding, and
/// 1·*u* = *u* exactly. Leaf *i* of `u + v` is the elementwise sum of leaf *i* of
/// `u` and of `v`.
///
/// - Complexity: ``leafCount`` and leaf access are O(1); arithmetic is O(*n*).
/// - References: Halmos, *Finite-Dimensional Vector Spaces*, 1958.
public protocol VectorSpace: AdditiveArithmetic, Codable, Sendable {
  /// The scalar type of every leaf.
  associatedtype Scalar: ParameterScalar

  /// Multiplies every scalar of `rhs` by `lhs`.
  ///
  /// - Parameters:
  ///   - lhs: The factor.
  ///   - rhs: The vector.
  /// - Complexity: O(*n*).
  static func * (lhs: Scalar, rhs: Self) -> Self

  /// The number of leaves.
  ///
  /// - Complexity: O(1).
  var leafCount: Int { get }

  /// The shape of leaf `index`, as a ``Tensor`` shape (`[]` for a scalar leaf).
  ///
  /// - Parameter index: A leaf index in `0..<leafCount`.
  /// - Complexity: O(1).
  func leafShape(at index: Int) -> [Int]

  /// Calls `body` with the scalars of leaf `index`.
  ///
  /// - Parameters:
  ///   - index: A leaf index in `0..<leafCount`.
  ///   - body: Reads the leaf's contiguous scalars.
  /// - Complexity: O(1) plus the cost of `body`.
  func withLeaf<R>(at index: Int, _ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R

  /// Calls `body` with mutable access to the scalars of leaf `index`, copying the
  /// leaf's buffer first if it is shared.
  ///
  /// - Parameters:
  ///   - index: A leaf index in `0..<leafCount`.
  ///   - body: Reads and writes the leaf's contiguous scalars.
  /// - Complexity: O(1) when the buffer is unique, plus the cost of `body`.
  mutating func withMutableLeaf<R>(
    at index: Int, _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R
  ) rethrows -> R

  /// Calls `body` after writing the address of every leaf, as a ``Tensor``, into
  /// `addresses`; returns `nil` without calling `body` when the leaves are not
  /// stored as tensors.
  ///
  /// This is the fast path of ``LeafWalk``: with the addresses of all leaves at
  /// once it checks shapes without key paths and can split work across
  /// threads. The addresses are valid only during `body`, which must not write
  /// through them. The default returns `nil`, and the walk then visits leaves
  /// one at a time through ``withLeaf(at:_:)``.
  ///
  /// - Parameters:
  ///   - addresses: Room for ``leafCount`` addresses.
  ///   - body: Runs while the addresses are valid.
  /// - Returns: What `body` returns, or `nil` if the leaves are not tensors.
  /// - Precondition: `addresses.count` equals ``leafCount``.
  /// - Complexity: O(``leafCount``) plus the cost of `body`.
  func withTensorLeaves<R>(
    _ addresses: UnsafeMutableBufferPointer<UnsafePointer<Tensor<Scalar>>>, _ body: () throws -> R
  ) rethrows -> R?

  /// Calls `body` after writing the address of every leaf, as a ``Tensor``, into
  /// `addresses`; returns `nil` without calling `body` when the leaves are not
  /// stored as tensors.
  ///
  /// The mutable counterpart of ``withTensorLeaves(_:_:)``: `body` may mutate
  /// the tensors in place (the walk makes each buffer unique first). The default
  /// returns `nil`.
  ///
  /// - Parameters:
  ///   - addresses: Room for ``leafCount`` addresses.
  ///   - body: Runs while the addresses are valid.
  /// - Returns: What `body` returns, or `nil` if the leaves are not tensors.
  /// - Precondition: `addresses.count` equals ``leafCount``.
  /// - Complexity: O(``leafCount``) plus the cost of `body`.
  mutating func withMutableTensorLeaves<R>(
    _ addresses: UnsafeMutableBufferPointer<UnsafeMutablePointer<Tensor<Scalar>>>, _ body: () throws -> R
  ) rethrows -> R?
}

extension VectorSpace {
  /// `nil`: by default leaves are not known to be tensors.
  ///
  /// - Complexity: O(1).
  @inlinable public func withTensorLeaves<R>(
    _ addresses: UnsafeMutableBufferPointer<UnsafePointer<Tensor<Scalar>>>, _ body: () throws -> R
  ) rethrows -> R? {
    nil
  }

  /// `nil`: by default leaves are not known to be tensors.
  ///
  /// - Complexity: O(1).
  @inlinable public mutating func withMutableTensorLeaves<R>(
    _ addresses: UnsafeMutableBufferPointer<UnsafeMutablePointer<Tensor<Scalar>>>, _ body: () throws -> R
  ) rethrows -> R? {
    nil
  }
}

extension VectorSpace {
  /// The shapes of all leaves, in order.
  ///
  /// - Complexity: O(leafCount).
  @inlinable public var leafShapes: [[Int]] {
    (0..<leafCount).map { leafShape(at: $0) }
  }

  /// The total number of scalars over all leaves.
  ///
  /// - Complexity: O(leafCount).
  @inlinable public var scalarCount: Int {
    var total = 0
    for index in 0..<leafCount { total += withLeaf(at: index) { $0.count } }
    return total
  }

  /// The Euclidean norm ‖v‖₂ over every scalar of every leaf, summed in leaf
  /// order and index order (so it is deterministic).
  ///
  /// - Complexity: O(*n*).
  @inlinable public var euclideanNorm: Scalar {
    var total: Scalar = 0
    for index in 0..<leafCount {
      withLeaf(at: index) { leaf in for x in leaf { total += x * x } }
    }
    return Scalar.squareRoot(of: total)
  }

  /// All scalars of every leaf, concatenated in leaf order.
  ///
  /// - Complexity: O(*n*).
  @inlinable public var flattenedScalars: [Scalar] {
    var result: [Scalar] = []
    for index in 0..<leafCount { withLeaf(at: index) { result.append(contentsOf: $0) } }
    return result
  }

  /// Whether every scalar of every leaf is finite (neither NaN nor ±∞).
  ///
  /// - Complexity: O(*n*).
  @inlinable public var isFinite: Bool {
    for index in 0..<leafCount {
      let finite = withLeaf(at: index) { leaf in leaf.allSatisfy { $0.isFinite } }
      if !finite { return false }
    }
    return true
  }

  /// Whether `self` and `other` have the same leaf shapes and bit-identical
  /// scalars.
  ///
  /// - Parameter other: The vector to compare with.
  /// - Complexity: O(*n*).
  @inlinable public func bitPatternsEqual(_ other: Self) -> Bool {
    LeafComparison.bitwiseEqual(
      count: leafCount, otherCount: other.leafCount, shapes: { (leafShape(at: $0), other.leafShape(at: $0)) }
    ) { index, same in
      withLeaf(at: index) { a in other.withLeaf(at: index) { b in same(a, b) } }
    }
  }
}
