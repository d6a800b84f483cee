/// The state of a stateless ``GradientTransform``: nothing.
///
/// It encodes as an empty keyed container, `{}`.
///
/// - Complexity: O(1).
/// - References: None needed: the unit type.
public struct NoState: Codable, Sendable, Equatable, Hashable {
  /// Creates the empty state.
  ///
  /// - Complexity: O(1).
  @inlinable public init() {}
}
