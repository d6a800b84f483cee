/// The state of a ``Chain``: the state of its leading members and of its last
/// member.
///
/// Encoded with a `"rule": "Chain"` tag next to the two member states, so a chain's
/// state is never silently loaded into something else.
///
/// - Complexity: Encoding costs the sum of both members' encodings.
/// - References: Babuschkin et al., *optax* `chain` (a tuple of member
///   states), 2020.
public struct ChainState<Leading: Codable & Sendable, Last: Codable & Sendable>: Codable, Sendable {
  /// The name `ChainState`, checked when the state is decoded.
  var rule = RuleTag<ChainState>()
  /// The state of the leading members.
  public var leading: Leading
  /// The state of the last member.
  public var last: Last

  /// Creates a state.
  ///
  /// - Parameters:
  ///   - leading: The leading members' state.
  ///   - last: The last member's state.
  /// - Complexity: O(1).
  @inlinable public init(leading: Leading, last: Last) {
    self.leading = leading
    self.last = last
  }
}

extension ChainState: Equatable where Leading: Equatable, Last: Equatable {}
