/// Some of the leaves of a parameter value, as parameters in their own right:
/// what each rule of a ``Partition`` trains.
///
/// A group holds copies of the chosen leaves (as tensors), their dotted names and
/// their indices in the full parameters, so a rule's state for the group has
/// buffers for those leaves only. Rules are written for it as for any
/// parameters: `Adam<LeafGroup<Model>>`.
///
/// ## Mathematical properties
/// The parameter space is the direct sum of its leaves' spaces; a group is the
/// projection onto some of them, and ``scatter(into:)`` after ``gather(_:leaves:)``
/// is the identity on the full parameters.
///
/// - Complexity: Gathering and scattering copy the group's scalars, O(*n*).
/// - References: PyTorch parameter groups (`torch.optim.Optimizer` param_groups),
///   2017; optax `multi_transform` (masked sub-trees), 2021.
public struct LeafGroup<Params: Differentiable>: Differentiable {
  /// The scalar type of every leaf.
  public typealias Scalar = Params.TangentVector.Scalar

  /// The group's leaves, copied from the full parameters.
  public var leaves: [Tensor<Scalar>]
  /// Their dotted names in the full parameters.
  public let names: [String]
  /// Their indices in the full parameters.
  public let indices: [Int]

  /// Creates a group from its leaves.
  ///
  /// - Parameters:
  ///   - leaves: The leaves.
  ///   - names: One name per leaf.
  ///   - indices: One index per leaf, in the full parameters.
  /// - Precondition: The three arrays have the same length.
  /// - Complexity: O(1).
  @inlinable public init(leaves: [Tensor<Scalar>], names: [String], indices: [Int]) {
    precondition(
      leaves.count == names.count && names.count == indices.count,
      "LeafGroup needs one name and one index per leaf")
    self.leaves = leaves
    self.names = names
    self.indices = indices
  }

  /// Copies the leaves `indices` of `params` into a group.
  ///
  /// - Parameters:
  ///   - params: The full parameters.
  ///   - indices: Leaf indices of `params`, in the order the group keeps them.
  /// - Complexity: O(*n*) in the group's scalars.
  @inlinable public static func gather(_ params: Params, leaves indices: [Int]) -> LeafGroup {
    var leaves: [Tensor<Scalar>] = []
    var names: [String] = []
    leaves.reserveCapacity(indices.count)
    names.reserveCapacity(indices.count)
    for index in indices {
      let shape = params.parameterLeafShape(at: index)
      leaves.append(params.withParameterLeaf(at: index) { Tensor(shape: shape, storage: TensorStorage(copying: $0)) })
      names.append(params.parameterLeafName(at: index))
    }
    return LeafGroup(leaves: leaves, names: names, indices: indices)
  }

  /// Copies the group's leaves back into `params`, at their indices.
  ///
  /// - Parameter params: The full parameters.
  /// - Complexity: O(*n*) in the group's scalars.
  @inlinable public func scatter(into params: inout Params) {
    for (position, index) in indices.enumerated() {
      leaves[position].withUnsafeBufferPointer { source in
        params.withMutableParameterLeaf(at: index) { target in
          precondition(target.count == source.count, "LeafGroup: leaf '\(names[position])' changed size")
          for i in 0..<target.count { target[i] = source[i] }
        }
      }
    }
  }

  /// Moves leaves `indices` out of `params` into a group, leaving empty
  /// tensors in their place, when every parameter leaf is a ``Tensor`` the walk
  /// can address; `nil` otherwise. ``moveBack(into:)`` puts them back. Nothing
  /// is copied, so a rule updating the group updates the parameters' own
  /// storage.
  ///
  /// - Complexity: O(leaves).
  @inlinable
  public static func moving(from params: inout Params, leaves indices: [Int]) -> LeafGroup? {
    let count = params.parameterLeafCount
    let names = indices.map { params.parameterLeafName(at: $0) }
    return ScratchPool.withScratch(byteCount: Swift.max(count, 1) * MemoryLayout<Int>.stride) { scratch in
      let addresses = UnsafeMutableBufferPointer(
        start: scratch.bindMemory(to: UnsafeMutablePointer<Tensor<Scalar>>.self, capacity: count), count: count)
      return LeafWalk.tensorLeaves(of: &params, addresses) { () -> LeafGroup in
        var leaves: [Tensor<Scalar>] = []
        leaves.reserveCapacity(indices.count)
        for index in indices {
          var taken = Tensor<Scalar>.zeros([0])
          swap(&taken, &addresses[index].pointee)
          leaves.append(taken)
        }
        return LeafGroup(leaves: leaves, names: names, indices: indices)
      }
    }
  }

  /// Moves the group's leaves back into the places ``moving(from:leaves:)``
  /// took them from.
  ///
  /// - Complexity: O(leaves).
  @inlinable
  public mutating func moveBack(into params: inout Params) {
    let count = params.parameterLeafCount
    ScratchPool.withScratch(byteCount: Swift.max(count, 1) * MemoryLayout<Int>.stride) { scratch in
      let addresses = UnsafeMutableBufferPointer(
        start: scratch.bindMemory(to: UnsafeMutablePointer<Tensor<Scalar>>.self, capacity: count), count: count)
      let moved: Void? = LeafWalk.tensorLeaves(of: &params, addresses) {
        for (position, index) in indices.enumerated() { swap(&leaves[position], &addresses[index].pointee) }
      }
      precondition(moved != nil, "LeafGroup: the parameters' leaves are no longer addressable tensors")
    }
  }

  /// The gradient (or any tangent) of a group: one tensor per leaf.
  ///
  /// ``zero`` has no leaves and stands for zeros of any shape.
  ///
  /// - Complexity: Arithmetic is O(*n*).
  /// - References: Griewank and Walther, *Evaluating Derivatives*, 2008.
  public struct TangentVector: VectorSpace {
    /// The scalar type of every leaf.
    public typealias Scalar = Params.TangentVector.Scalar

    /// The leaves; empty for ``zero``.
    public var leaves: [Tensor<Scalar>]

    /// Creates a tangent from its leaves.
    ///
    /// - Complexity: O(1).
    @inlinable public init(leaves: [Tensor<Scalar>]) { self.leaves = leaves }

    /// Copies the leaves `indices` of a full gradient (zeros when it has none).
    ///
    /// - Parameters:
    ///   - gradient: A tangent of the full parameters.
    ///   - indices: The group's leaf indices.
    ///   - params: The full parameters (for the shapes of a zero gradient).
    /// - Complexity: O(*n*) in the group's scalars.
    @inlinable
    public static func gather(_ gradient: Params.TangentVector, leaves indices: [Int], of params: Params) -> TangentVector {
      var leaves: [Tensor<Scalar>] = []
      leaves.reserveCapacity(indices.count)
      // Tensor leaves are shared, not copied: the group only reads them.
      let count = gradient.leafCount
      let shared: Void? = ScratchPool.withScratch(byteCount: Swift.max(count, 1) * MemoryLayout<Int>.stride) { scratch in
        let addresses = UnsafeMutableBufferPointer(
          start: scratch.bindMemory(to: UnsafePointer<Tensor<Scalar>>.self, capacity: count), count: count)
        return count == 0 ? nil : gradient.withTensorLeaves(addresses) {
          for index in indices { leaves.append(addresses[index].pointee) }
        }
      }
      if shared != nil { return TangentVector(leaves: leaves) }
      for index in indices {
        if gradient.leafCount == 0 {
          leaves.append(Tensor.zeros(params.parameterLeafShape(at: index)))
        } else {
          let shape = gradient.leafShape(at: index)
          leaves.append(gradient.withLeaf(at: index) { Tensor(shape: shape, storage: TensorStorage(copying: $0)) })
        }
      }
      return TangentVector(leaves: leaves)
    }

    /// The zero vector: no leaves.
    ///
    /// - Complexity: O(1).
    @inlinable public static var zero: TangentVector { TangentVector(leaves: []) }

    /// Leaf-by-leaf sum; ``zero`` on either side returns the other.
    ///
    /// - Complexity: O(*n*).
    @inlinable public static func + (lhs: TangentVector, rhs: TangentVector) -> TangentVector {
      TangentVector(leaves: TensorLeaves.sum(lhs.leaves, rhs.leaves))
    }

    /// Leaf-by-leaf difference.
    ///
    /// - Complexity: O(*n*).
    @inlinable public static func - (lhs: TangentVector, rhs: TangentVector) -> TangentVector {
      TangentVector(leaves: TensorLeaves.difference(lhs.leaves, rhs.leaves))
    }

    /// Scales every leaf.
    ///
    /// - Complexity: O(*n*).
    @inlinable public static func * (lhs: Scalar, rhs: TangentVector) -> TangentVector {
      TangentVector(leaves: TensorLeaves.scaled(rhs.leaves, by: lhs))
    }

    /// Whether both have the same leaves elementwise (``zero`` equals a tangent
    /// of all-zero leaves).
    ///
    /// - Complexity: O(*n*).
    @inlinable public static func == (lhs: TangentVector, rhs: TangentVector) -> Bool {
      TensorLeaves.equal(lhs.leaves, rhs.leaves)
    }

    /// The number of leaves.
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
    /// - Complexity: O(1) when the leaf is unique, plus the cost of `body`.
    @inlinable public mutating func withMutableLeaf<R>(
      at index: Int, _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
      try leaves[index].withUnsafeMutableBufferPointer(body)
    }

    /// Decodes the leaves.
    ///
    /// - Throws: `DecodingError` when the data is not an array of tensors.
    /// - Complexity: O(*n*).
    public init(from decoder: any Decoder) throws {
      leaves = try decoder.singleValueContainer().decode([Tensor<Scalar>].self)
    }

    /// Encodes the leaves as an array of tensors.
    ///
    /// - Complexity: O(*n*).
    public func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      try container.encode(leaves)
    }
  }

  /// Zeros of the group's leaf shapes.
  ///
  /// - Complexity: O(*n*).
  @inlinable public var zeroTangentVector: TangentVector {
    TangentVector(leaves: leaves.map { Tensor.zeros($0.shape) })
  }

  /// The number of leaves in the group.
  ///
  /// - Complexity: O(1).
  @inlinable public var parameterLeafCount: Int { leaves.count }

  /// The shape of leaf `index`.
  ///
  /// - Complexity: O(1).
  @inlinable public func parameterLeafShape(at index: Int) -> [Int] { leaves[index].shape }

  /// The leaf's dotted name in the full parameters.
  ///
  /// - Complexity: O(1).
  @inlinable public func parameterLeafName(at index: Int) -> String { names[index] }

  /// Calls `body` with mutable access to leaf `index`.
  ///
  /// - Complexity: O(1) when the leaf is unique, plus the cost of `body`.
  @inlinable public mutating func withMutableParameterLeaf<R>(
    at index: Int, _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try leaves[index].withUnsafeMutableBufferPointer(body)
  }

  /// Calls `body` with the scalars of leaf `index`.
  ///
  /// - Complexity: O(1) plus the cost of `body`.
  @inlinable public func withParameterLeaf<R>(
    at index: Int, _ body: (UnsafeBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try leaves[index].withUnsafeBufferPointer(body)
  }
}
