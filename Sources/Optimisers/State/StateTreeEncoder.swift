/// The `Encoder` behind ``StateTree/init(encoding:)``: turns any `Encodable`
/// value into a ``StateTree`` without Foundation.
///
/// Keyed members are sorted by key (so a tree does not depend on the order a type
/// encodes its fields in, and equals the tree read back from JSON), and arrays
/// whose elements are all `Float` or all `Double` are packed.
///
/// - Complexity: O(*n*) in the encoded values.
@usableFromInline
enum StateTreeEncoder {
  /// Encodes `value`.
  static func encode<Value: Encodable>(_ value: Value) throws -> StateTree {
    if let direct = primitive(value) { return direct }
    let slot = Slot()
    try value.encode(to: TreeEncoder(slot: slot, codingPath: []))
    return slot.tree()
  }

  /// A tree for the scalar types that need no container.
  static func primitive<Value>(_ value: Value) -> StateTree? {
    switch value {
    case let x as Float: return .float(x)
    case let x as Double: return .double(x)
    case let x as [Float]: return x.isEmpty ? .array([]) : .floats(x)
    case let x as [Double]: return x.isEmpty ? .array([]) : .doubles(x)
    case let x as Bool: return .bool(x)
    case let x as String: return .string(x)
    case let x as Int: return .integer(Int64(x))
    case let x as Int64: return .integer(x)
    case let x as Int32: return .integer(Int64(x))
    case let x as Int16: return .integer(Int64(x))
    case let x as Int8: return .integer(Int64(x))
    case let x as UInt64: return x <= UInt64(Int64.max) ? .integer(Int64(x)) : .unsigned(x)
    case let x as UInt: return x <= UInt(Int64.max) ? .integer(Int64(x)) : .unsigned(UInt64(x))
    case let x as UInt32: return .integer(Int64(x))
    case let x as UInt16: return .integer(Int64(x))
    case let x as UInt8: return .integer(Int64(x))
    default: return nil
    }
  }

  /// `items` as a packed buffer when every element is a `Float` or every one a
  /// `Double`; otherwise an ``StateTree/array(_:)``.
  static func packed(_ items: [StateTree]) -> StateTree {
    switch items.first {
    case nil: return .array([])
    case .float?: return packed(items, as: StateTree.floats) { item -> Float? in
      if case .float(let x) = item { return x } else { return nil }
    }
    case .double?: return packed(items, as: StateTree.doubles) { item -> Double? in
      if case .double(let x) = item { return x } else { return nil }
    }
    default: return .array(items)
    }
  }

  /// `items` as `buffer` of every item's `scalar`, or an ``StateTree/array(_:)``
  /// as soon as one item is not of that scalar type.
  static func packed<Scalar>(
    _ items: [StateTree], as buffer: ([Scalar]) -> StateTree, scalar: (StateTree) -> Scalar?
  ) -> StateTree {
    var xs: [Scalar] = []
    xs.reserveCapacity(items.count)
    for item in items {
      guard let x = scalar(item) else { return .array(items) }
      xs.append(x)
    }
    return buffer(xs)
  }

  /// Where one encoded value goes; filled while encoding, read at the end.
  final class Slot {
    enum Content {
      case empty
      case value(StateTree)
      case object([(String, Slot)])
      case array([Slot])
    }

    var content: Content = .empty

    func tree() -> StateTree {
      switch content {
      case .empty: return .object([])
      case .value(let tree): return tree
      case .object(let members):
        var byKey: [String: StateTree] = [:]
        for (key, slot) in members { byKey[key] = slot.tree() }
        return .object(byKey.keys.sorted().map { StateTree.Member(key: $0, value: byKey[$0]!) })
      case .array(let slots):
        return packed(slots.map { $0.tree() })
      }
    }

    func appendMember(_ key: String) -> Slot {
      let child = Slot()
      if case .object(var members) = content {
        content = .empty
        members.append((key, child))
        content = .object(members)
      } else {
        content = .object([(key, child)])
      }
      return child
    }

    func appendElement() -> Slot {
      let child = Slot()
      if case .array(var slots) = content {
        content = .empty
        slots.append(child)
        content = .array(slots)
      } else {
        content = .array([child])
      }
      return child
    }

    func set<Value: Encodable>(_ value: Value, codingPath: [any CodingKey]) throws {
      if let direct = primitive(value) {
        content = .value(direct)
      } else {
        try value.encode(to: TreeEncoder(slot: self, codingPath: codingPath))
      }
    }
  }

  struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
  }

  struct TreeEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
      if case .object = slot.content {} else { slot.content = .object([]) }
      return KeyedEncodingContainer(KeyedContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
      if case .array = slot.content {} else { slot.content = .array([]) }
      return UnkeyedContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
      SingleContainer(slot: slot, codingPath: codingPath)
    }
  }

  struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { slot.appendMember(key.stringValue).content = .value(.null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
      try slot.appendMember(key.stringValue).set(value, codingPath: codingPath + [key])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(
      keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
      TreeEncoder(slot: slot.appendMember(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
      TreeEncoder(slot: slot.appendMember(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder {
      TreeEncoder(slot: slot.appendMember("super"), codingPath: codingPath)
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
      TreeEncoder(slot: slot.appendMember(key.stringValue), codingPath: codingPath + [key])
    }
  }

  struct UnkeyedContainer: UnkeyedEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]
    var count: Int {
      if case .array(let slots) = slot.content { return slots.count }
      return 0
    }

    mutating func encodeNil() throws { slot.appendElement().content = .value(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
      let key = IndexKey(intValue: count)
      try slot.appendElement().set(value, codingPath: codingPath + [key])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(
      keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
      let key = IndexKey(intValue: count)
      return TreeEncoder(slot: slot.appendElement(), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
      let key = IndexKey(intValue: count)
      return TreeEncoder(slot: slot.appendElement(), codingPath: codingPath + [key]).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder {
      let key = IndexKey(intValue: count)
      return TreeEncoder(slot: slot.appendElement(), codingPath: codingPath + [key])
    }
  }

  struct SingleContainer: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.content = .value(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try slot.set(value, codingPath: codingPath) }
  }
}
