/// The `rule` tag stored in every optimiser state: it encodes as the rule's name
/// and refuses any other name on decoding, so a state saved by one rule is never
/// silently loaded into another.
///
/// Give a state a tag with one stored property; synthesised `Codable` does the
/// rest:
///
/// ```swift
/// public struct State: Codable, Sendable, Equatable {
///   var rule = RuleTag<MyRule>()
///   public var step: Int
///   public var velocity: Params.TangentVector
/// }
/// ```
///
/// The name is the rule's type name without generic arguments: `Adam` for
/// `Adam<Model>`.
///
/// - Complexity: Encoding and decoding are O(length of the name).
/// - References: Swift Evolution SE-0166, *Swift Archival & Serialization*, 2017.
public struct RuleTag<Rule>: Codable, Sendable, Hashable {
  /// Creates the tag.
  ///
  /// - Complexity: O(1).
  @inlinable public init() {}

  /// The rule's type name without generic arguments.
  ///
  /// - Complexity: O(length of the type name).
  public static var name: String {
    String(String(describing: Rule.self).prefix { $0 != "<" })
  }

  /// Decodes the tag and throws unless it names `Rule`.
  ///
  /// - Throws: `DecodingError.dataCorrupted` with
  ///   ``OptimiserError/ruleMismatch(expected:found:)``'s message.
  /// - Complexity: O(length of the name).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let found = try container.decode(String.self)
    guard found == Self.name else {
      throw DecodingError.dataCorruptedError(
        in: container,
        debugDescription: OptimiserError.ruleMismatch(expected: Self.name, found: found).description)
    }
  }

  /// Encodes the rule's name.
  ///
  /// - Complexity: O(length of the name).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(Self.name)
  }
}
