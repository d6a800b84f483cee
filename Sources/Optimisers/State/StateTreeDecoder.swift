/// The `Decoder` behind ``StateTree/decode(_:)``: reads any `Decodable` value
/// back from a ``StateTree`` without Foundation.
///
/// Numbers convert when the value is representable in the requested type: an
/// integral `Double` decodes as an `Int`, an `Int` as the nearest `Double` or
/// `Float`, a `Double` as the nearest `Float` (JSON keeps no distinction), and
/// the strings of `ExactScalarText` as the ∞, NaN or −0 they stand for. NaN, a fraction or an
/// out-of-range number where an integer belongs throws `DecodingError`, as does
/// every other mismatch; nothing traps.
///
/// - Complexity: O(*n*) in the decoded values.
@usableFromInline
enum StateTreeDecoder {
  /// Decodes `type` from `tree`.
  static func decode<Value: Decodable>(_ type: Value.Type, from tree: StateTree) throws -> Value {
    if let direct = try primitive(type, tree, codingPath: []) { return direct }
    return try Value(from: TreeDecoder(tree: tree, codingPath: []))
  }

  static func typeMismatch<T>(_ type: T.Type, _ tree: StateTree, _ path: [any CodingKey]) -> DecodingError {
    .typeMismatch(
      type,
      DecodingError.Context(codingPath: path, debugDescription: "expected \(T.self), found \(kind(of: tree))"))
  }

  static func kind(of tree: StateTree) -> String {
    switch tree {
    case .null: return "null"
    case .bool: return "a Boolean"
    case .integer(let x): return "the integer \(x)"
    case .unsigned(let x): return "the integer \(x)"
    case .float(let x): return "the number \(x)"
    case .double(let x): return "the number \(x)"
    case .string: return "a string"
    case .array(let xs): return "an array of \(xs.count)"
    case .object: return "an object"
    case .floats(let xs): return "an array of \(xs.count) numbers"
    case .doubles(let xs): return "an array of \(xs.count) numbers"
    }
  }

  // An integer where a floating-point value belongs is rounded to the nearest
  // value: JSON writes an integral Double such as 2⁶⁰ in its shortest form
  // (1.152921504606847e+18), which a JSON decoder may return as the integer
  // 1152921504606847000, and rounding that gives 2⁶⁰ back. A string is read
  // as one of ExactScalarText's forms (∞, NaN with its payload, −0).

  static func double(_ tree: StateTree, _ path: [any CodingKey]) throws -> Double {
    switch tree {
    case .double(let x): return x
    case .float(let x): return Double(x)
    case .integer(let x): return Double(x)
    case .unsigned(let x): return Double(x)
    case .string(let text): if let d = ExactScalarText.double(from: text) { return d }
    default: break
    }
    throw typeMismatch(Double.self, tree, path)
  }

  static func float(_ tree: StateTree, _ path: [any CodingKey]) throws -> Float {
    switch tree {
    case .float(let x): return x
    case .double(let x):
      // Nearest Float; a finite Double beyond Float's range is an error, not ∞.
      let f = Float(x)
      if f.isFinite || !x.isFinite { return f }
    case .integer(let x): return Float(Double(x))
    case .unsigned(let x): return Float(Double(x))
    case .string(let text): if let f = ExactScalarText.float(from: text) { return f }
    default: break
    }
    throw typeMismatch(Float.self, tree, path)
  }

  static func integer<I: FixedWidthInteger>(_ type: I.Type, _ tree: StateTree, _ path: [any CodingKey]) throws -> I {
    switch tree {
    case .integer(let x): if let i = I(exactly: x) { return i }
    case .unsigned(let x): if let i = I(exactly: x) { return i }
    case .double(let x): if let i = I(exactly: x) { return i }
    case .float(let x): if let i = I(exactly: x) { return i }
    default: break
    }
    throw typeMismatch(I.self, tree, path)
  }

  /// Decodes the scalar types (and packed buffers) directly.
  static func primitive<Value>(_ type: Value.Type, _ tree: StateTree, codingPath path: [any CodingKey]) throws -> Value? {
    switch type {
    case is Double.Type: return try double(tree, path) as? Value
    case is Float.Type: return try float(tree, path) as? Value
    case is Int.Type: return try integer(Int.self, tree, path) as? Value
    case is Int64.Type: return try integer(Int64.self, tree, path) as? Value
    case is Int32.Type: return try integer(Int32.self, tree, path) as? Value
    case is Int16.Type: return try integer(Int16.self, tree, path) as? Value
    case is Int8.Type: return try integer(Int8.self, tree, path) as? Value
    case is UInt.Type: return try integer(UInt.self, tree, path) as? Value
    case is UInt64.Type: return try integer(UInt64.self, tree, path) as? Value
    case is UInt32.Type: return try integer(UInt32.self, tree, path) as? Value
    case is UInt16.Type: return try integer(UInt16.self, tree, path) as? Value
    case is UInt8.Type: return try integer(UInt8.self, tree, path) as? Value
    case is Bool.Type:
      guard case .bool(let x) = tree else { throw typeMismatch(Bool.self, tree, path) }
      return x as? Value
    case is String.Type:
      guard case .string(let x) = tree else { throw typeMismatch(String.self, tree, path) }
      return x as? Value
    case is [Float].Type:
      if case .floats(let xs) = tree { return xs as? Value }
      return nil
    case is [Double].Type:
      if case .doubles(let xs) = tree { return xs as? Value }
      return nil
    default:
      return nil
    }
  }

  struct TreeDecoder: Decoder {
    let tree: StateTree
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
      guard case .object(let members) = tree else {
        throw StateTreeDecoder.typeMismatch([String: StateTree].self, tree, codingPath)
      }
      var byKey: [String: StateTree] = [:]
      for member in members { byKey[member.key] = member.value }
      return KeyedDecodingContainer(KeyedContainer<Key>(members: byKey, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
      switch tree {
      case .array, .floats, .doubles: return UnkeyedContainer(tree: tree, codingPath: codingPath)
      default: throw StateTreeDecoder.typeMismatch([StateTree].self, tree, codingPath)
      }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
      SingleContainer(tree: tree, codingPath: codingPath)
    }
  }

  static func value<T: Decodable>(_ type: T.Type, _ tree: StateTree, _ path: [any CodingKey]) throws -> T {
    if let direct = try primitive(type, tree, codingPath: path) { return direct }
    return try T(from: TreeDecoder(tree: tree, codingPath: path))
  }

  struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: StateTree]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.sorted().compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    func member(_ key: Key) throws -> StateTree {
      guard let tree = members[key.stringValue] else {
        throw DecodingError.keyNotFound(
          key, DecodingError.Context(codingPath: codingPath, debugDescription: "no value for key '\(key.stringValue)'"))
      }
      return tree
    }

    func decodeNil(forKey key: Key) throws -> Bool {
      if case .null = try member(key) { return true }
      return false
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
      try StateTreeDecoder.value(type, try member(key), codingPath + [key])
    }
    func nestedContainer<NestedKey: CodingKey>(
      keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
      try TreeDecoder(tree: try member(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
      try TreeDecoder(tree: try member(key), codingPath: codingPath + [key]).unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder {
      TreeDecoder(tree: members["super"] ?? .null, codingPath: codingPath)
    }
    func superDecoder(forKey key: Key) throws -> any Decoder {
      TreeDecoder(tree: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
  }

  struct UnkeyedContainer: UnkeyedDecodingContainer {
    let tree: StateTree
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(tree: StateTree, codingPath: [any CodingKey]) {
      self.tree = tree
      self.codingPath = codingPath
    }

    var count: Int? {
      switch tree {
      case .array(let xs): return xs.count
      case .floats(let xs): return xs.count
      case .doubles(let xs): return xs.count
      default: return 0
      }
    }
    var isAtEnd: Bool { currentIndex >= count ?? 0 }

    mutating func next() throws -> (StateTree, [any CodingKey]) {
      let path = codingPath + [StateTreeEncoder.IndexKey(intValue: currentIndex)]
      guard !isAtEnd else {
        throw DecodingError.valueNotFound(
          StateTree.self, DecodingError.Context(codingPath: path, debugDescription: "the array ends here"))
      }
      let element: StateTree
      switch tree {
      case .array(let xs): element = xs[currentIndex]
      case .floats(let xs): element = .float(xs[currentIndex])
      case .doubles(let xs): element = .double(xs[currentIndex])
      default: element = .null
      }
      currentIndex += 1
      return (element, path)
    }

    mutating func decodeNil() throws -> Bool {
      guard !isAtEnd else { return false }
      if case .array(let xs) = tree, case .null = xs[currentIndex] {
        currentIndex += 1
        return true
      }
      return false
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
      let (element, path) = try next()
      return try StateTreeDecoder.value(type, element, path)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(
      keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
      let (element, path) = try next()
      return try TreeDecoder(tree: element, codingPath: path).container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
      let (element, path) = try next()
      return try TreeDecoder(tree: element, codingPath: path).unkeyedContainer()
    }
    mutating func superDecoder() throws -> any Decoder {
      let (element, path) = try next()
      return TreeDecoder(tree: element, codingPath: path)
    }
  }

  struct SingleContainer: SingleValueDecodingContainer {
    let tree: StateTree
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
      if case .null = tree { return true }
      return false
    }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
      try StateTreeDecoder.value(type, tree, codingPath)
    }
  }
}
