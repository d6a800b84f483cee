/// The tangent vector of a ``Parameterised`` model: one tensor per parameter leaf,
/// in the model's declared order.
///
/// Gradients of a model and the buffers of optimiser state have this type. Read
/// and write it by field, with the same key paths as the model:
///
/// ```swift
/// var gradient = model.zeroTangentVector
/// gradient[\.weight] = dW
/// gradient[\.bias] = db
/// gradient[\.first] = firstLayerGradient     // a whole nested struct's tangent
/// ```
///
/// Scalar fields are rank-0 leaves. ``zero`` has no leaves and stands for the
/// zero vector of any shape, as in `AdditiveArithmetic`; give an optimiser
/// `model.zeroTangentVector` when you need zeros of the model's shapes.
///
/// ## Mathematical properties
/// A tangent is an element of the direct sum of its leaves' spaces; `+`, `-` and
/// scaling act leaf by leaf, and ``zero`` is the identity of `+`.
///
/// - Complexity: Field access is O(1) after a hash look-up; arithmetic is O(*n*).
/// - References: Griewank and Walther, *Evaluating Derivatives*, 2nd ed., 2008.
public struct Tangent<Model: ParameterContainer>: VectorSpace {
  /// The scalar type of every leaf.
  public typealias Scalar = Model.Scalar

  /// The leaves in the model's order; empty for ``zero``.
  public var leaves: [Tensor<Scalar>]

  /// Creates a tangent from its leaves, in the model's leaf order.
  ///
  /// - Parameter leaves: One tensor per parameter leaf, or none for zero.
  /// - Precondition: The count is 0 or the model's leaf count.
  /// - Complexity: O(1).
  @inlinable public init(leaves: [Tensor<Scalar>]) {
    precondition(
      leaves.isEmpty || leaves.count == Model.parameters.leaves.count,
      "Tangent<\(Model.self)> needs \(Model.parameters.leaves.count) leaves (\(Model.parameters.leafNames.joined(separator: ", "))), got \(leaves.count)")
    self.leaves = leaves
  }

  /// The zero vector: no leaves, standing for zeros of any shape.
  ///
  /// - Complexity: O(1).
  @inlinable public static var zero: Tangent { Tangent(leaves: []) }

  /// The number of leaves (0 for ``zero``).
  ///
  /// - Complexity: O(1).
  @inlinable public var leafCount: Int { leaves.count }

  /// The shape of leaf `index`.
  ///
  /// - Complexity: O(1).
  @inlinable public func leafShape(at index: Int) -> [Int] { leaves[index].shape }

  /// Calls `body` with the scalars of leaf `index`.
  ///
  /// - Complexity: O(1) plus the cost of `body`.
  @inlinable public func withLeaf<R>(
    at index: Int, _ body: (UnsafeBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try leaves[index].withUnsafeBufferPointer(body)
  }

  /// Calls `body` with mutable access to the scalars of leaf `index`.
  ///
  /// - Complexity: O(1) when the leaf's buffer is unique, plus the cost of `body`.
  @inlinable public mutating func withMutableLeaf<R>(
    at index: Int, _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try leaves[index].withUnsafeMutableBufferPointer(body)
  }

  /// Writes the address of every leaf tensor.
  ///
  /// - Precondition: `addresses.count` equals ``leafCount``.
  /// - Complexity: O(``leafCount``) plus the cost of `body`.
  @inlinable public func withTensorLeaves<R>(
    _ addresses: UnsafeMutableBufferPointer<UnsafePointer<Tensor<Scalar>>>, _ body: () throws -> R
  ) rethrows -> R? {
    try leaves.withUnsafeBufferPointer { tensors in
      try TensorLeaves.publish(tensors.count, into: addresses, address: { tensors.baseAddress! + $0 }, body)
    }
  }

  /// Writes the address of every leaf tensor.
  ///
  /// - Precondition: `addresses.count` equals ``leafCount``.
  /// - Complexity: O(``leafCount``) plus the cost of `body`.
  @inlinable public mutating func withMutableTensorLeaves<R>(
    _ addresses: UnsafeMutableBufferPointer<UnsafeMutablePointer<Tensor<Scalar>>>, _ body: () throws -> R
  ) rethrows -> R? {
    try leaves.withUnsafeMutableBufferPointer { tensors in
      try TensorLeaves.publish(tensors.count, into: addresses, address: { tensors.baseAddress! + $0 }, body)
    }
  }

  /// Leaf-by-leaf sum; ``zero`` on either side returns the other.
  ///
  /// - Complexity: O(*n*).
  @inlinable public static func + (lhs: Tangent, rhs: Tangent) -> Tangent {
    Tangent(leaves: TensorLeaves.sum(lhs.leaves, rhs.leaves))
  }

  /// Leaf-by-leaf difference.
  ///
  /// - Complexity: O(*n*).
  @inlinable public static func - (lhs: Tangent, rhs: Tangent) -> Tangent {
    Tangent(leaves: TensorLeaves.difference(lhs.leaves, rhs.leaves))
  }

  /// Scales every leaf.
  ///
  /// - Complexity: O(*n*).
  @inlinable public static func * (lhs: Scalar, rhs: Tangent) -> Tangent {
    Tangent(leaves: TensorLeaves.scaled(rhs.leaves, by: lhs))
  }

  /// Whether both have the same leaves, elementwise (``zero`` equals only itself
  /// or a tangent of all-zero leaves).
  ///
  /// - Complexity: O(*n*).
  @inlinable public static func == (lhs: Tangent, rhs: Tangent) -> Bool {
    TensorLeaves.equal(lhs.leaves, rhs.leaves)
  }

  /// Reads or writes the tangent of a tensor field.
  ///
  /// - Parameter path: A key path to a tensor parameter of the model, listed or
  ///   nested (`\.first.weight`).
  /// - Precondition: The path is a parameter leaf and the tangent is not ``zero``.
  /// - Complexity: O(1).
  @inlinable public subscript(path: WritableKeyPath<Model, Tensor<Scalar>>) -> Tensor<Scalar> {
    get { leaves[leafIndex(of: path)] }
    set { leaves[leafIndex(of: path)] = newValue }
  }

  /// Reads or writes the tangent of a scalar field.
  ///
  /// - Parameter path: A key path to a scalar parameter of the model.
  /// - Complexity: O(1).
  @inlinable public subscript(path: WritableKeyPath<Model, Scalar>) -> Scalar {
    get { leaves[leafIndex(of: path)].scalar }
    set { leaves[leafIndex(of: path)] = Tensor(scalar: newValue) }
  }

  /// Reads or writes the tangent of a nested model field.
  ///
  /// - Parameter path: A key path to a nested ``Parameterised`` field.
  /// - Complexity: O(leaves of the field).
  @inlinable public subscript<Field: ParameterContainer>(
    path: WritableKeyPath<Model, Field>
  ) -> Tangent<Field> where Field.Scalar == Scalar {
    get {
      let range = leafRange(of: path)
      return Tangent<Field>(leaves: Array(leaves[range]))
    }
    set {
      let range = leafRange(of: path)
      precondition(!leaves.isEmpty, "cannot set a field of Tangent<\(Model.self)>.zero; start from model.zeroTangentVector")
      if newValue.leaves.isEmpty {
        for i in range { leaves[i] = Tensor.zeros(leaves[i].shape) }
      } else {
        leaves.replaceSubrange(range, with: newValue.leaves)
      }
    }
  }

  @inlinable func leafRange(of path: AnyKeyPath) -> Range<Int> {
    guard let range = Model.parameters.leafRange(of: path) else {
      preconditionFailure("\(path) is not a parameter of \(Model.self); its parameters are \(Model.parameters.leafNames.joined(separator: ", "))")
    }
    return range
  }

  @inlinable func leafIndex(of path: AnyKeyPath) -> Int {
    let range = leafRange(of: path)
    precondition(!leaves.isEmpty, "Tangent<\(Model.self)>.zero has no leaves; start from model.zeroTangentVector")
    return range.lowerBound
  }
}

extension Tangent: Codable {
  /// Decodes the leaves, checking their count against the model.
  ///
  /// - Throws: `DecodingError.dataCorrupted` naming the expected leaves when the
  ///   count differs.
  /// - Complexity: O(*n*).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let leaves = try container.decode([Tensor<Scalar>].self)
    let expected = Model.parameters.leaves.count
    guard leaves.isEmpty || leaves.count == expected else {
      throw DecodingError.dataCorruptedError(
        in: container,
        debugDescription: "Tangent<\(Model.self)> has \(expected) leaves (\(Model.parameters.leafNames.joined(separator: ", "))); found \(leaves.count)")
    }
    self.leaves = leaves
  }

  /// Encodes the leaves as an array of tensors.
  ///
  /// - Complexity: O(*n*).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(leaves)
  }
}

extension Tangent: CustomStringConvertible {
  /// The leaves by name.
  ///
  /// - Complexity: O(*n*) up to 32 elements a leaf.
  public var description: String {
    if leaves.isEmpty { return "Tangent<\(Model.self)>.zero" }
    let names = Model.parameters.leafNames
    return "Tangent<\(Model.self)>(" + zip(names, leaves).map { "\($0): \($1)" }.joined(separator: ", ") + ")"
  }
}
