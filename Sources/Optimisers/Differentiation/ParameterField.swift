/// A type that can be listed as a field in a ``ParameterList``: a ``Tensor``, a
/// scalar (`Float`, `Double`), or a nested ``Parameterised`` struct.
///
/// You do not conform to this protocol directly; ``Parameterised`` structs get it
/// from a default.
///
/// - Complexity: ``leafPaths(through:name:)`` is O(leaves) and runs once per model
///   type.
/// - References: Optimisers.jl's `Functors.fmap` leaf traversal, 2021.
public protocol ParameterField {
  /// The leaves reached from a root through `path`, each with its dotted name.
  ///
  /// - Parameters:
  ///   - path: The key path from the model to this field.
  ///   - name: The field's dotted name.
  /// - Returns: One entry per leaf, depth first.
  /// - Precondition: The field's scalar type is the root's ``ParameterContainer/Scalar``.
  /// - Complexity: O(leaves).
  static func leafPaths<Root: ParameterContainer>(
    through path: WritableKeyPath<Root, Self>, name: String
  ) -> [ParameterLeaf<Root>]
}

extension Tensor: ParameterField {
  /// A tensor field is one leaf.
  ///
  /// - Complexity: O(1).
  public static func leafPaths<Root: ParameterContainer>(
    through path: WritableKeyPath<Root, Tensor>, name: String
  ) -> [ParameterLeaf<Root>] {
    guard let typed = (path as AnyKeyPath) as? WritableKeyPath<Root, Tensor<Root.Scalar>> else {
      preconditionFailure(
        "\(Root.self).\(name) is a Tensor<\(Scalar.self)> but \(Root.self).Scalar is \(Root.Scalar.self)")
    }
    return [ParameterLeaf(name: name, path: .tensor(typed))]
  }
}

extension Float: ParameterField {
  /// A scalar field is one rank-0 leaf.
  ///
  /// - Complexity: O(1).
  public static func leafPaths<Root: ParameterContainer>(
    through path: WritableKeyPath<Root, Float>, name: String
  ) -> [ParameterLeaf<Root>] {
    scalarLeafPaths(through: path, name: name)
  }
}

extension Double: ParameterField {
  /// A scalar field is one rank-0 leaf.
  ///
  /// - Complexity: O(1).
  public static func leafPaths<Root: ParameterContainer>(
    through path: WritableKeyPath<Root, Double>, name: String
  ) -> [ParameterLeaf<Root>] {
    scalarLeafPaths(through: path, name: name)
  }
}

extension ParameterContainer {
  /// A nested model contributes its own leaves, prefixed by the field's path.
  ///
  /// - Complexity: O(leaves).
  public static func leafPaths<Root: ParameterContainer>(
    through path: WritableKeyPath<Root, Self>, name: String
  ) -> [ParameterLeaf<Root>] {
    guard Root.Scalar.self == Scalar.self else {
      preconditionFailure("\(Root.self).\(name) has scalars \(Scalar.self) but \(Root.self).Scalar is \(Root.Scalar.self)")
    }
    return parameters.leaves.map { leaf in
      let childName = name + "." + leaf.name
      switch leaf.path {
      case .tensor(let inner):
        let joined = (path.appending(path: inner) as AnyKeyPath) as! WritableKeyPath<Root, Tensor<Root.Scalar>>
        return ParameterLeaf(name: childName, path: .tensor(joined))
      case .scalar(let inner):
        let joined = (path.appending(path: inner) as AnyKeyPath) as! WritableKeyPath<Root, Root.Scalar>
        return ParameterLeaf(name: childName, path: .scalar(joined))
      }
    }
  }
}

extension ParameterScalar {
  /// A scalar field is one leaf, reached through a key path typed with the
  /// root's own scalar; shared by the `Float` and `Double` conformances.
  ///
  /// - Precondition: `Self` is `Root.Scalar`.
  static func scalarLeafPaths<Root: ParameterContainer>(
    through path: WritableKeyPath<Root, Self>, name: String
  ) -> [ParameterLeaf<Root>] {
    guard let typed = (path as AnyKeyPath) as? WritableKeyPath<Root, Root.Scalar> else {
      preconditionFailure("\(Root.self).\(name) is a \(Self.self) but \(Root.self).Scalar is \(Root.Scalar.self)")
    }
    return [ParameterLeaf(name: name, path: .scalar(typed))]
  }
}
