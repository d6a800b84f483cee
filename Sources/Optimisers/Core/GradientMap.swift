/// An elementwise function applied to each gradient element inside a rule's fused
/// loop.
///
/// Stateless, elementwise gradient transforms (scaling, clipping by value,
/// coupled weight decay) are gradient maps. A rule applies the map to
/// `(gradient[i], parameter[i])` just before its own maths, so a chain of such
/// transforms costs no extra pass over memory.
///
/// ## Mathematical properties
/// A map is a function ℝ × ℝ → ℝ applied pointwise; composing maps composes the
/// functions, and ``IdentityGradientMap`` is the identity.
///
/// - Complexity: ``apply(_:parameter:)`` must be O(1).
/// - References: Babuschkin et al., *optax* `chain`, 2020; Loshchilov and
///   Hutter, *Decoupled Weight Decay Regularization*, 2019.
public protocol GradientMap: Sendable {
  /// The map to use for leaf `index` (for example, weight decay switched off for
  /// biases); by default the map itself.
  ///
  /// - Parameter index: The parameter leaf about to be walked.
  /// - Complexity: O(1).
  func forLeaf(_ index: Int) -> Self

  /// The transformed gradient element.
  ///
  /// - Parameters:
  ///   - gradient: The incoming gradient element *g*ᵢ.
  ///   - parameter: The matching parameter element *p*ᵢ.
  /// - Complexity: O(1).
  func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar
}

extension GradientMap {
  /// The map itself, for every leaf.
  ///
  /// - Complexity: O(1).
  @inlinable public func forLeaf(_ index: Int) -> Self { self }
}

/// The gradient map that changes nothing: *g* ↦ *g*.
///
/// - Complexity: O(1).
/// - References: None needed: the identity function.
public struct IdentityGradientMap: GradientMap {
  /// Creates the identity map.
  ///
  /// - Complexity: O(1).
  @inlinable public init() {}

  /// Returns `gradient` unchanged.
  ///
  /// - Complexity: O(1).
  @inlinable public func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar {
    gradient
  }
}
