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

  enum CodingKeys: String, CodingKey { case rule, leading, last }

  /// Decodes a state, checking the tag.
  ///
  /// - Throws: `DecodingError` when the state was not written by a chain, or a
  ///   member's state fails to decode.
  /// - Complexity: The sum of both members' decodings.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try StateCoding.checkRule(container, key: .rule, expected: "Chain")
    leading = try container.decode(Leading.self, forKey: .leading)
    last = try container.decode(Last.self, forKey: .last)
  }

  /// Encodes the tag and both member states.
  ///
  /// - Complexity: The sum of both members' encodings.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode("Chain", forKey: .rule)
    try container.encode(leading, forKey: .leading)
    try container.encode(last, forKey: .last)
  }
}

extension ChainState: Equatable where Leading: Equatable, Last: Equatable {}
