/// A choice of parameter leaves, by name, shape or key path: which leaves a
/// ``Masked`` transform touches, or which leaves a ``Partition`` hands to its
/// selected rule.
///
/// ```swift
/// LeafSelector.named { $0.hasSuffix("weight") }         // by dotted leaf name
/// LeafSelector.rank(atLeast: 2)                         // matrices, not biases
/// LeafSelector.paths(\Model.embedding, \Model.head.bias) // by key path
/// LeafSelector.rank(atLeast: 2).inverted                 // everything else
/// ```
///
/// Names are those of ``Differentiable/parameterLeafName(at:)``: for a
/// ``Parameterised`` model the dotted field path (`layer1.weight`). A selector
/// is evaluated once, when a state is created, so its cost never lands in the
/// update loop.
///
/// ## Mathematical properties
/// A selector is a predicate on leaves; ``inverted`` is its complement, and
/// `selector.inverted.inverted` selects the same leaves as `selector`.
///
/// - Complexity: Evaluating on one leaf costs the predicate; ``paths(_:)-(PartialKeyPath<Model>...)`` looks
///   up a set of names, O(1) expected.
/// - References: optax `masked` (a boolean tree or a callable over the
///   parameters), 2020; torch.optim parameter groups, 2017.
public struct LeafSelector: Sendable {
  /// The predicate over a leaf's dotted name and shape.
  public let predicate: @Sendable (_ name: String, _ shape: [Int]) -> Bool

  /// Creates a selector from a predicate over a leaf's name and shape.
  ///
  /// - Parameter predicate: Returns `true` for the leaves to select.
  /// - Complexity: O(1).
  @inlinable public init(_ predicate: @escaping @Sendable (_ name: String, _ shape: [Int]) -> Bool) {
    self.predicate = predicate
  }

  /// Every leaf.
  ///
  /// - Complexity: O(1).
  @inlinable public static var all: LeafSelector { LeafSelector { _, _ in true } }

  /// No leaf.
  ///
  /// - Complexity: O(1).
  @inlinable public static var none: LeafSelector { LeafSelector { _, _ in false } }

  /// The leaves whose dotted name satisfies `predicate`.
  ///
  /// - Parameter predicate: A test on names such as `"layer1.weight"`.
  /// - Complexity: O(1).
  @inlinable public static func named(_ predicate: @escaping @Sendable (String) -> Bool) -> LeafSelector {
    LeafSelector { name, _ in predicate(name) }
  }

  /// The leaves with at least `rank` axes — with 2, the weight matrices but not
  /// the biases or scalars (the usual weight-decay mask).
  ///
  /// - Parameter rank: The smallest rank selected.
  /// - Complexity: O(1).
  @inlinable public static func rank(atLeast rank: Int) -> LeafSelector {
    LeafSelector { _, shape in shape.count >= rank }
  }

  /// The leaves at or under the given fields of a ``Parameterised`` model
  /// (`\Model.embedding` selects every leaf of a nested `embedding`).
  ///
  /// - Parameter paths: Key paths to listed or nested parameter fields.
  /// - Precondition: Every path is a parameter field of `Model`; otherwise the
  ///   call stops with a message listing the model's parameters.
  /// - Complexity: O(leaves selected).
  public static func paths<Model: ParameterContainer>(_ paths: PartialKeyPath<Model>...) -> LeafSelector {
    self.paths(paths)
  }

  /// The leaves at or under the given fields of a ``Parameterised`` model.
  ///
  /// - Parameter paths: Key paths to listed or nested parameter fields.
  /// - Precondition: Every path is a parameter field of `Model`.
  /// - Complexity: O(leaves selected).
  public static func paths<Model: ParameterContainer>(_ paths: [PartialKeyPath<Model>]) -> LeafSelector {
    let list = Model.parameters
    var names = Set<String>()
    for path in paths {
      guard let range = list.leafRange(of: path) else {
        preconditionFailure(
          "\(path) is not a parameter of \(Model.self); its parameters are \(list.leafNames.joined(separator: ", "))")
      }
      for index in range { names.insert(list.leaves[index].name) }
    }
    let selected = names
    return LeafSelector { name, _ in selected.contains(name) }
  }

  /// The leaves this selector does not select.
  ///
  /// - Complexity: O(1).
  @inlinable public var inverted: LeafSelector {
    let predicate = self.predicate
    return LeafSelector { name, shape in !predicate(name, shape) }
  }

  /// Whether leaf `index` of `params` is selected.
  ///
  /// - Parameters:
  ///   - index: A leaf index.
  ///   - params: The parameters.
  /// - Complexity: The predicate's cost.
  @inlinable public func contains<Params: Differentiable>(leaf index: Int, of params: Params) -> Bool {
    predicate(params.parameterLeafName(at: index), params.parameterLeafShape(at: index))
  }

  /// One flag per leaf of `params`: whether it is selected.
  ///
  /// - Parameter params: The parameters.
  /// - Complexity: O(leaves) predicate calls.
  @inlinable public func mask<Params: Differentiable>(for params: Params) -> [Bool] {
    (0..<params.parameterLeafCount).map { contains(leaf: $0, of: params) }
  }
}
