/// Shared pieces of every rule's `Codable` state: a `rule` tag written next to the
/// buffers, and its check on decoding, so a state saved by one rule is never
/// silently loaded into another.
///
/// - Complexity: O(1).
@usableFromInline
enum StateCoding {
  /// Decodes the `rule` tag under `key` and throws unless it is `expected`.
  @usableFromInline
  static func checkRule<Key: CodingKey>(
    _ container: KeyedDecodingContainer<Key>, key: Key, expected: String
  ) throws {
    let found = try container.decode(String.self, forKey: key)
    guard found == expected else {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: container,
        debugDescription: OptimiserError.ruleMismatch(expected: expected, found: found).description)
    }
  }

  /// Decodes a step count and throws if it is negative.
  @usableFromInline
  static func decodeStep<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, key: Key) throws -> Int {
    let step = try container.decode(Int.self, forKey: key)
    guard step >= 0 else {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: container, debugDescription: "step count \(step) is negative")
    }
    return step
  }
}
