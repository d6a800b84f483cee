/// A struct of your own whose parameter fields an optimiser can train.
///
/// Conform by naming the scalar type and listing the parameter fields once, as key
/// paths. Fields may be tensors, scalars, or other `Parameterised` structs (nested
/// models); fields that are not listed (an activation choice, a size) are left
/// alone. Everything ``Differentiable`` asks for — the tangent type ``Tangent``,
/// ``Differentiable/move(by:)``, ``Differentiable/zeroTangentVector`` and the leaf
/// walk — comes from defaults. This is Flux's `params(m)`: nobody lists
/// `m.layer1.weight, m.layer1.bias, …` at the call site.
///
/// ```swift
/// struct Affine: Parameterised {
///   typealias Scalar = Double
///   var weight: Tensor<Double>
///   var bias: Tensor<Double>
///   static let parameters = ParameterList<Affine>(\.weight, \.bias)
/// }
///
/// struct TwoLayers: Parameterised {
///   typealias Scalar = Double
///   var first: Affine
///   var second: Affine
///   var useReLU = true                       // not a parameter
///   static let parameters = ParameterList<TwoLayers>(\.first, \.second)
/// }
/// ```
///
/// The leaves of a nested struct are flattened depth first in the order listed,
/// so `TwoLayers` has the four leaves `first.weight`, `first.bias`,
/// `second.weight`, `second.bias`.
///
/// ## Mathematical properties
/// The model's parameter space is the direct sum of its leaves' spaces: moving a
/// model by a tangent moves each leaf by the matching tangent leaf, independently.
///
/// - Complexity: Leaf access costs one key-path projection, O(depth).
/// - References: Innes, *Flux: Elegant Machine Learning with Julia*, 2018
///   (`params`); Optimisers.jl's `Functors.@functor`, 2021.
public protocol Parameterised: ParameterContainer, Differentiable, ParameterField
where TangentVector == Tangent<Self> {}

/// A type that lists its parameter fields: the part of ``Parameterised`` that
/// ``Tangent`` and ``ParameterList`` depend on.
///
/// Conform to ``Parameterised`` rather than to this protocol directly.
///
/// - Complexity: ``parameters`` is built once per type.
/// - References: Optimisers.jl's `Functors.@functor`, 2021.
public protocol ParameterContainer {
  /// The scalar type shared by every parameter leaf.
  associatedtype Scalar: ParameterScalar

  /// The parameter fields, in order. Declare it as a `static let` so the list is
  /// built once.
  static var parameters: ParameterList<Self> { get }
}

extension Parameterised {
  /// A tangent of zeros with this model's leaf shapes.
  ///
  /// - Complexity: O(*n*).
  @inlinable public var zeroTangentVector: Tangent<Self> {
    let leaves = Self.parameters.leaves
    var result: [Tensor<Scalar>] = []
    result.reserveCapacity(leaves.count)
    for leaf in leaves { result.append(Tensor.zeros(leaf.shape(in: self))) }
    return Tangent(leaves: result)
  }

  /// The number of parameter leaves, nested structs flattened.
  ///
  /// - Complexity: O(1).
  @inlinable public var parameterLeafCount: Int { Self.parameters.leaves.count }

  /// The shape of parameter leaf `index` (`[]` for a scalar field).
  ///
  /// - Complexity: O(depth).
  @inlinable public func parameterLeafShape(at index: Int) -> [Int] {
    Self.parameters.leaves[index].shape(in: self)
  }

  /// The dotted field path of leaf `index`, such as `first.weight`.
  ///
  /// - Complexity: O(1).
  @inlinable public func parameterLeafName(at index: Int) -> String {
    Self.parameters.leaves[index].name
  }

  /// Calls `body` with mutable access to parameter leaf `index`.
  ///
  /// - Complexity: O(depth) plus the cost of `body`.
  @inlinable public mutating func withMutableParameterLeaf<R>(
    at index: Int, _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    switch Self.parameters.leaves[index].path {
    case .tensor(let path): return try self[keyPath: path].withUnsafeMutableBufferPointer(body)
    case .scalar(let path):
      return try withUnsafeMutablePointer(to: &self[keyPath: path]) {
        try body(UnsafeMutableBufferPointer(start: $0, count: 1))
      }
    }
  }

  /// Writes the address of every tensor field, from offsets computed once per
  /// model type; `nil` when some parameter is a scalar field or is not stored
  /// inline (a computed property, or a field of a class).
  ///
  /// - Complexity: O(leaves) plus the cost of `body`; no key-path projection.
  @inlinable public mutating func withMutableParameterTensorLeaves<R>(
    _ addresses: UnsafeMutableBufferPointer<UnsafeMutablePointer<Tensor<Scalar>>>,
    _ body: () throws -> R
  ) rethrows -> R? {
    guard let offsets = Self.parameters.tensorOffsets else { return nil }
    precondition(
      addresses.count == offsets.count,
      "\(Self.self) has \(offsets.count) parameter leaves, not \(addresses.count)")
    return try withUnsafeMutableBytes(of: &self) { raw in
      guard let base = raw.baseAddress else { return nil }
      for index in 0..<offsets.count {
        addresses[index] = (base + offsets[index]).assumingMemoryBound(to: Tensor<Scalar>.self)
      }
      return try body()
    }
  }

  /// Calls `body` with the scalars of parameter leaf `index`.
  ///
  /// - Complexity: O(depth) plus the cost of `body`.
  @inlinable public func withParameterLeaf<R>(
    at index: Int, _ body: (UnsafeBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    switch Self.parameters.leaves[index].path {
    case .tensor(let path): return try self[keyPath: path].withUnsafeBufferPointer(body)
    case .scalar(let path):
      return try withUnsafePointer(to: self[keyPath: path]) {
        try body(UnsafeBufferPointer(start: $0, count: 1))
      }
    }
  }
}
