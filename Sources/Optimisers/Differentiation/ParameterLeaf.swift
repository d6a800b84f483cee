/// One parameter leaf of a model: a key path from the model to a tensor or scalar
/// field, and its dotted name.
///
/// ``ParameterList`` builds these once per model type; optimisers walk them to
/// reach each leaf's contiguous scalars.
///
/// - Complexity: Reading a leaf through its path is O(depth).
/// - References: Swift Evolution SE-0161, *Smart KeyPaths*, 2017.
public struct ParameterLeaf<Root: ParameterContainer>: @unchecked Sendable {
  // Key paths hold no mutable state once formed; sharing them is safe.

  /// Where the leaf lives. `Sendable` for the leaf's reason: key paths are immutable.
  public enum Path: @unchecked Sendable {
    /// A tensor field.
    case tensor(WritableKeyPath<Root, Tensor<Root.Scalar>>)
    /// A scalar field, treated as a rank-0 leaf.
    case scalar(WritableKeyPath<Root, Root.Scalar>)
  }

  /// The dotted field path, such as `first.weight`.
  public let name: String
  /// The key path to the leaf.
  public let path: Path

  /// Creates a leaf.
  ///
  /// - Parameters:
  ///   - name: The dotted field path.
  ///   - path: The key path to the leaf.
  /// - Complexity: O(1).
  @inlinable public init(name: String, path: Path) {
    self.name = name
    self.path = path
  }

  /// The key path as a type-erased, hashable value.
  ///
  /// - Complexity: O(1).
  @inlinable public var anyKeyPath: AnyKeyPath {
    switch path {
    case .tensor(let p): return p
    case .scalar(let p): return p
    }
  }

  /// The leaf's shape in `model` (`[]` for a scalar field).
  ///
  /// - Complexity: O(depth).
  @inlinable public func shape(in model: Root) -> [Int] {
    switch path {
    case .tensor(let p): return model[keyPath: p].shape
    case .scalar: return []
    }
  }
}
