/// Two ``GradientMap``s applied one after the other: *g* ↦ second(first(*g*, *p*), *p*).
///
/// ``Chain`` builds these so a run of elementwise transforms becomes one
/// function applied inside the rule's fused loop.
///
/// ## Mathematical properties
/// Composition is associative: `ComposedMap(ComposedMap(a, b), c)` and
/// `ComposedMap(a, ComposedMap(b, c))` evaluate the same operations in the same
/// order, so they agree bit for bit.
///
/// - Complexity: ``apply(_:parameter:)`` costs the sum of both maps' costs.
/// - References: Babuschkin et al., *optax* `chain`, 2020.
public struct ComposedMap<First: GradientMap, Second: GradientMap>: GradientMap {
  /// The map applied first.
  public var first: First
  /// The map applied to the first map's result.
  public var second: Second

  /// Composes two maps.
  ///
  /// - Parameters:
  ///   - first: Applied first.
  ///   - second: Applied to `first`'s result.
  @inlinable public init(_ first: First, _ second: Second) {
    (self.first, self.second) = (first, second)
  }

  /// Both maps' choices for leaf `index`.
  ///
  /// - Complexity: The sum of both maps' costs.
  @inlinable public func forLeaf(_ index: Int) -> ComposedMap {
    ComposedMap(first.forLeaf(index), second.forLeaf(index))
  }

  /// second(first(*g*, *p*), *p*).
  @inlinable public func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar {
    second.apply(first.apply(gradient, parameter: parameter), parameter: parameter)
  }
}
