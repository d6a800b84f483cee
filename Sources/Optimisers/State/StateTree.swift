/// A self-describing tree of values: what any `Codable` optimiser state becomes
/// inside a ``Checkpoint``.
///
/// A state is encoded into a tree with ``init(encoding:)`` (an `Encoder` written
/// here, so the library needs no Foundation) and decoded back with
/// ``decode(_:)``. Arrays of floating-point numbers — the buffers, which are
/// almost all of a checkpoint — are packed as ``floats(_:)`` or ``doubles(_:)``,
/// so the binary encoding (``Checkpoint/encoded()``) stores them as raw IEEE
/// bytes.
///
/// A tree is `Codable` itself, so a checkpoint can also be written as JSON for
/// reading. JSON loses the difference between an integer and an integral float,
/// and between `Float` and `Double`; decoding converts between numbers when the
/// value is representable (a count must be an integer, never NaN). Every
/// floating-point value still comes back bit for bit when decoded as its own
/// type: ∞, NaN (with its sign and payload) and −0 travel as strings
/// (`"Infinity"`, `"-Infinity"`, `"-0"`, `"NaN"`, `"NaN:0x7fc00001"`).
///
/// ## Equality
/// `==` compares floating-point values by **bit pattern**, so a tree equals
/// itself even when it holds NaN, and `0.0 != -0.0`. This is the equality the law
/// kit and the resume tests need: "bitwise the same state".
///
/// - Complexity: Encoding and decoding a state are O(*n*) in its scalars.
/// - References: Bray, *The JavaScript Object Notation (JSON) Data Interchange
///   Format*, RFC 8259, 2017 (the value model).
public indirect enum StateTree: Sendable, Hashable, CustomStringConvertible {
  /// No value (an `Optional` that was `nil`).
  case null
  /// A Boolean.
  case bool(Bool)
  /// A signed integer.
  case integer(Int64)
  /// An unsigned integer too large for `Int64` (a random generator's state).
  case unsigned(UInt64)
  /// A single-precision number.
  case float(Float)
  /// A double-precision number.
  case double(Double)
  /// A string.
  case string(String)
  /// An ordered list of values.
  case array([StateTree])
  /// Keyed values, in the order they were encoded.
  case object([Member])
  /// A packed, non-empty array of single-precision numbers (a buffer).
  case floats([Float])
  /// A packed, non-empty array of double-precision numbers (a buffer).
  case doubles([Double])

  /// One keyed value of an ``object(_:)``.
  ///
  /// - Complexity: O(1).
  public struct Member: Sendable, Hashable {
    /// The key.
    public var key: String
    /// The value.
    public var value: StateTree

    /// Creates a member.
    ///
    /// - Parameters:
    ///   - key: The key.
    ///   - value: The value.
    /// - Complexity: O(1).
    public init(key: String, value: StateTree) {
      self.key = key
      self.value = value
    }
  }

  /// Encodes `value` into a tree.
  ///
  /// - Parameter value: Any `Encodable` value, typically an optimiser's state.
  /// - Throws: What `value`'s `encode(to:)` throws.
  /// - Complexity: O(*n*).
  public init<Value: Encodable>(encoding value: Value) throws {
    self = try StateTreeEncoder.encode(value)
  }

  /// Decodes a value of type `type` from this tree.
  ///
  /// - Parameter type: The type to decode, typically an optimiser's `State`.
  /// - Throws: `DecodingError` naming the coding path when the tree does not
  ///   hold a valid `type`.
  /// - Complexity: O(*n*).
  public func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
    try StateTreeDecoder.decode(type, from: self)
  }

  /// The value under `key` if this is an object that has it.
  ///
  /// - Parameter key: A member's key.
  /// - Complexity: O(members).
  public subscript(key: String) -> StateTree? {
    guard case .object(let members) = self else { return nil }
    return members.last { $0.key == key }?.value
  }

  /// Whether any floating-point value in the tree is NaN or infinite.
  ///
  /// - Complexity: O(*n*).
  public var containsNonFinite: Bool {
    switch self {
    case .float(let x): return !x.isFinite
    case .double(let x): return !x.isFinite
    case .floats(let xs): return xs.contains { !$0.isFinite }
    case .doubles(let xs): return xs.contains { !$0.isFinite }
    case .array(let items): return items.contains { $0.containsNonFinite }
    case .object(let members): return members.contains { $0.value.containsNonFinite }
    case .null, .bool, .integer, .unsigned, .string: return false
    }
  }

  /// The first integer stored under the key `"step"`, searching breadth first,
  /// if any: the step count of a rule's or a wrapper's state.
  ///
  /// - Complexity: O(nodes).
  public var firstStep: Int? {
    var queue: [StateTree] = [self]
    var index = 0
    while index < queue.count {
      let node = queue[index]
      index += 1
      switch node {
      case .object(let members):
        for member in members where member.key == "step" {
          if case .integer(let value) = member.value { return Int(exactly: value) }
        }
        queue.append(contentsOf: members.map(\.value))
      case .array(let items):
        queue.append(contentsOf: items)
      default:
        break
      }
    }
    return nil
  }

  /// The largest count a loaded state may hold under a key named `step` or
  /// ending in `Step`, `Steps` or `Count`: 2⁵³, beyond which a step is no longer
  /// exact as a `Double` (bias corrections and schedules compute in `Double`),
  /// and far below the `Int.max` at which `step += 1` would trap.
  public static let maximumCount: Int64 = 1 << 53

  /// The first counter (a key named `step` or ending in `Step`, `Steps` or
  /// `Count`) whose integer value is negative or above ``maximumCount``, as
  /// "key = value", if any.
  ///
  /// - Complexity: O(nodes).
  public var firstImpossibleCount: String? {
    switch self {
    case .object(let members):
      for member in members {
        let key = member.key
        if key == "step" || key.hasSuffix("Step") || key.hasSuffix("Steps") || key.hasSuffix("Count") {
          switch member.value {
          case .integer(let x) where x < 0 || x > StateTree.maximumCount: return "\(key) = \(x)"
          case .unsigned(let x): return "\(key) = \(x)"
          default: break
          }
        }
        if let found = member.value.firstImpossibleCount { return found }
      }
      return nil
    case .array(let items):
      for item in items { if let found = item.firstImpossibleCount { return found } }
      return nil
    default:
      return nil
    }
  }

  /// Bitwise equality: floating-point values are compared by bit pattern.
  ///
  /// - Complexity: O(*n*).
  public static func == (lhs: StateTree, rhs: StateTree) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case let (.bool(a), .bool(b)): return a == b
    case let (.integer(a), .integer(b)): return a == b
    case let (.unsigned(a), .unsigned(b)): return a == b
    case let (.float(a), .float(b)): return a.bitPattern == b.bitPattern
    case let (.double(a), .double(b)): return a.bitPattern == b.bitPattern
    case let (.string(a), .string(b)): return a == b
    case let (.array(a), .array(b)): return a == b
    case let (.object(a), .object(b)): return a == b
    case let (.floats(a), .floats(b)): return a.elementsEqual(b) { $0.bitPattern == $1.bitPattern }
    case let (.doubles(a), .doubles(b)): return a.elementsEqual(b) { $0.bitPattern == $1.bitPattern }
    default: return false
    }
  }

  /// Hashes consistently with bitwise ``==(_:_:)``.
  ///
  /// - Complexity: O(*n*).
  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let x): hasher.combine(x)
    case .integer(let x): hasher.combine(x)
    case .unsigned(let x): hasher.combine(x)
    case .float(let x): hasher.combine(x.bitPattern)
    case .double(let x): hasher.combine(x.bitPattern)
    case .string(let x): hasher.combine(x)
    case .array(let xs): hasher.combine(xs)
    case .object(let xs): hasher.combine(xs)
    case .floats(let xs): for x in xs { hasher.combine(x.bitPattern) }
    case .doubles(let xs): for x in xs { hasher.combine(x.bitPattern) }
    }
  }

  /// A compact, JSON-like rendering (long buffers abbreviated).
  ///
  /// - Complexity: O(*n*).
  public var description: String {
    func numbers<S: Sequence>(_ xs: S, count: Int) -> String {
      let shown = xs.prefix(8).map { "\($0)" }.joined(separator: ", ")
      return "[" + shown + (count > 8 ? ", … (\(count) values)" : "") + "]"
    }
    switch self {
    case .null: return "null"
    case .bool(let x): return "\(x)"
    case .integer(let x): return "\(x)"
    case .unsigned(let x): return "\(x)"
    case .float(let x): return "\(x)"
    case .double(let x): return "\(x)"
    case .string(let x): return "\"\(x)\""
    case .array(let xs): return "[" + xs.map(\.description).joined(separator: ", ") + "]"
    case .object(let ms): return "{" + ms.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
    case .floats(let xs): return numbers(xs, count: xs.count)
    case .doubles(let xs): return numbers(xs, count: xs.count)
    }
  }
}

extension StateTree: Codable {
  private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Encodes the tree as plain values: numbers, strings, arrays and keyed
  /// containers (a JSON object for an ``object(_:)``).
  ///
  /// Floating-point values are written so that a plain `JSONEncoder` and
  /// `JSONDecoder` give them back bit for bit: ∞, NaN (with its sign and
  /// payload) and −0 as strings, a `Float` as the `Double` of the same value
  /// (`"Infinity"`, `"-0"`, `"NaN:0x…"`).
  ///
  /// - Complexity: O(*n*).
  public func encode(to encoder: any Encoder) throws {
    if let treeEncoder = encoder as? StateTreeEncoder.TreeEncoder {
      // Into another tree: keep this one exactly (and share its buffers).
      treeEncoder.slot.content = .value(self)
      return
    }
    switch self {
    case .null:
      var container = encoder.singleValueContainer()
      try container.encodeNil()
    case .bool(let x):
      var container = encoder.singleValueContainer()
      try container.encode(x)
    case .integer(let x):
      var container = encoder.singleValueContainer()
      try container.encode(x)
    case .unsigned(let x):
      var container = encoder.singleValueContainer()
      try container.encode(x)
    case .float(let x):
      var container = encoder.singleValueContainer()
      try StateTree.encodeExactly(x, into: &container)
    case .double(let x):
      var container = encoder.singleValueContainer()
      try StateTree.encodeExactly(x, into: &container)
    case .string(let x):
      var container = encoder.singleValueContainer()
      try container.encode(x)
    case .floats(let xs):
      var container = encoder.unkeyedContainer()
      for x in xs {
        if let text = ExactScalarText.text(for: x) { try container.encode(text) } else { try container.encode(Double(x)) }
      }
    case .doubles(let xs):
      var container = encoder.unkeyedContainer()
      for x in xs {
        if let text = ExactScalarText.text(for: x) { try container.encode(text) } else { try container.encode(x) }
      }
    case .array(let xs):
      var container = encoder.unkeyedContainer()
      for x in xs { try container.encode(x) }
    case .object(let members):
      var container = encoder.container(keyedBy: AnyKey.self)
      for member in members { try container.encode(member.value, forKey: AnyKey(stringValue: member.key)) }
    }
  }

  /// Writes a `Float` as the `Double` of the same value, or as
  /// `ExactScalarText`'s string when no JSON number carries it exactly.
  static func encodeExactly(_ x: Float, into container: inout any SingleValueEncodingContainer) throws {
    if let text = ExactScalarText.text(for: x) { try container.encode(text) } else { try container.encode(Double(x)) }
  }

  /// Writes a `Double` as a number, or as `ExactScalarText`'s string when no
  /// JSON number carries it exactly.
  static func encodeExactly(_ x: Double, into container: inout any SingleValueEncodingContainer) throws {
    if let text = ExactScalarText.text(for: x) { try container.encode(text) } else { try container.encode(x) }
  }

  /// Decodes whatever value is there: null, a Boolean, an integer, a number, a
  /// string, an array or a keyed container.
  ///
  /// - Throws: `DecodingError.dataCorrupted` when the value is none of these.
  /// - Complexity: O(*n*).
  public init(from decoder: any Decoder) throws {
    if let tree = (decoder as? StateTreeDecoder.TreeDecoder)?.tree {
      // Read from a tree: keep it exactly (no guessing between Int and Double).
      self = tree
      return
    }
    if let keyed = try? decoder.container(keyedBy: AnyKey.self) {
      var members: [Member] = []
      for key in keyed.allKeys {
        members.append(Member(key: key.stringValue, value: try keyed.decode(StateTree.self, forKey: key)))
      }
      // Key order is not preserved by every decoder; sort for a canonical tree.
      members.sort { $0.key < $1.key }
      self = .object(members)
      return
    }
    if var unkeyed = try? decoder.unkeyedContainer() {
      var items: [StateTree] = []
      while !unkeyed.isAtEnd { items.append(try unkeyed.decode(StateTree.self)) }
      self = StateTreeEncoder.packed(items)
      return
    }
    let single = try decoder.singleValueContainer()
    if single.decodeNil() {
      self = .null
    } else if let x = try? single.decode(Bool.self) {
      self = .bool(x)
    } else if let x = try? single.decode(Int64.self) {
      self = .integer(x)
    } else if let x = try? single.decode(UInt64.self) {
      self = .unsigned(x)
    } else if let x = try? single.decode(Double.self) {
      self = .double(x)
    } else if let x = try? single.decode(String.self) {
      self = .string(x)
    } else {
      throw DecodingError.dataCorruptedError(in: single, debugDescription: "not a state value")
    }
  }
}
