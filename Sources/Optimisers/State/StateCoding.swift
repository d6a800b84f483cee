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

  /// The largest step count a decoded state may hold: 2⁵³, beyond which a
  /// step is no longer exact as a `Double` (bias corrections and schedules
  /// compute in `Double`), and far from the `Int.max` at which `step += 1`
  /// would trap. A corrupted or hostile count is rejected here, not later.
  @usableFromInline static let maximumStep = 1 << 53

  /// Decodes a step count and throws if it is negative or above ``maximumStep``.
  @usableFromInline
  static func decodeStep<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, key: Key) throws -> Int {
    let step = try container.decode(Int.self, forKey: key)
    guard step >= 0, step <= maximumStep else {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: container, debugDescription: "step count \(step) is negative or beyond \(maximumStep)")
    }
    return step
  }
}
