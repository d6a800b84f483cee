/// The compact binary encoding of a ``Checkpoint``.
///
/// Layout, all integers little-endian:
///
///     magic    8 bytes   0x89 "OPTCKPT"
///     version  UInt32    the format version
///     length   UInt64    the payload's byte count
///     payload  length    the checkpoint as a tagged StateTree (below)
///     crc      UInt32    CRC-32 of every byte before it
///
/// A tree node is a one-byte tag and its body: null, false, true; an `Int64`; a
/// `UInt64`; a `Float`; a `Double`; a string (`UInt64` byte count, UTF-8); an
/// array (`UInt64` count, nodes); an object (`UInt64` count, then key string and
/// node per member); packed `Float`s or `Double`s (`UInt64` count, raw IEEE
/// bits). Buffers therefore cost 4 or 8 bytes a scalar.
///
/// The reader never trusts a count: every count is checked against the bytes
/// that remain before anything is allocated, nesting is limited, and every
/// failure throws ``CheckpointError``.
///
/// - Complexity: Writing and reading are O(*n*) in the checkpoint's bytes.
/// - References: Boutell et al., *PNG Specification*, RFC 2083, 1997 (the
///   magic-number convention and a trailing CRC-32).
enum CheckpointBinaryFormat {
  static let magic: [UInt8] = [0x89, 0x4F, 0x50, 0x54, 0x43, 0x4B, 0x50, 0x54]  // \x89OPTCKPT
  static let headerSize = 8 + 4 + 8
  static let maximumDepth = 64

  enum Tag: UInt8 {
    case null = 0, falseValue, trueValue, integer, unsigned, float, double, string, array, object, floats, doubles
  }

  // MARK: Writing

  static func encode(_ tree: StateTree, version: Int) -> [UInt8] {
    var bytes = magic
    append(UInt32(truncatingIfNeeded: version), to: &bytes)
    var payload: [UInt8] = []
    write(tree, to: &payload)
    append(UInt64(payload.count), to: &bytes)
    bytes.append(contentsOf: payload)
    append(CRC32.checksum(bytes), to: &bytes)
    return bytes
  }

  static func append<I: FixedWidthInteger>(_ value: I, to bytes: inout [UInt8]) {
    var v = value.littleEndian
    withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
  }

  static func write(_ tree: StateTree, to bytes: inout [UInt8]) {
    switch tree {
    case .null: bytes.append(Tag.null.rawValue)
    case .bool(let x): bytes.append(x ? Tag.trueValue.rawValue : Tag.falseValue.rawValue)
    case .integer(let x):
      bytes.append(Tag.integer.rawValue)
      append(x, to: &bytes)
    case .unsigned(let x):
      bytes.append(Tag.unsigned.rawValue)
      append(x, to: &bytes)
    case .float(let x):
      bytes.append(Tag.float.rawValue)
      append(x.bitPattern, to: &bytes)
    case .double(let x):
      bytes.append(Tag.double.rawValue)
      append(x.bitPattern, to: &bytes)
    case .string(let x):
      bytes.append(Tag.string.rawValue)
      writeString(x, to: &bytes)
    case .array(let items):
      bytes.append(Tag.array.rawValue)
      append(UInt64(items.count), to: &bytes)
      for item in items { write(item, to: &bytes) }
    case .object(let members):
      bytes.append(Tag.object.rawValue)
      append(UInt64(members.count), to: &bytes)
      for member in members {
        writeString(member.key, to: &bytes)
        write(member.value, to: &bytes)
      }
    case .floats(let xs):
      bytes.append(Tag.floats.rawValue)
      append(UInt64(xs.count), to: &bytes)
      appendRaw(xs, to: &bytes) { $0.bitPattern }
    case .doubles(let xs):
      bytes.append(Tag.doubles.rawValue)
      append(UInt64(xs.count), to: &bytes)
      appendRaw(xs, to: &bytes) { $0.bitPattern }
    }
  }

  static var isLittleEndian: Bool { UInt32(1).littleEndian == 1 }

  /// Appends the IEEE bits of `xs`, little-endian: one copy on little-endian
  /// machines, element by element elsewhere.
  static func appendRaw<X, Bits: FixedWidthInteger>(_ xs: [X], to bytes: inout [UInt8], bits: (X) -> Bits) {
    if isLittleEndian {
      xs.withUnsafeBytes { bytes.append(contentsOf: $0) }
    } else {
      bytes.reserveCapacity(bytes.count + MemoryLayout<Bits>.size * xs.count)
      for x in xs { append(bits(x), to: &bytes) }
    }
  }

  static func writeString(_ string: String, to bytes: inout [UInt8]) {
    let utf8 = Array(string.utf8)
    append(UInt64(utf8.count), to: &bytes)
    bytes.append(contentsOf: utf8)
  }

  // MARK: Reading

  /// The format version in the header, after checking the magic number, the
  /// length and the checksum.
  static func validatedVersion(_ bytes: [UInt8]) throws(CheckpointError) -> Int {
    guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
      throw .notACheckpoint("the file does not start with the checkpoint magic number")
    }
    guard bytes.count >= headerSize + 4 else {
      throw .corrupt("the file is truncated: \(bytes.count) bytes, shorter than a header")
    }
    var reader = Reader(bytes: bytes, position: magic.count)
    let version = Int(try reader.integer(UInt32.self))
    let length = try reader.integer(UInt64.self)
    let expectedTotal = UInt64(headerSize) &+ length &+ 4
    guard length <= UInt64(bytes.count), expectedTotal == UInt64(bytes.count) else {
      throw .corrupt("the header announces \(length) payload bytes, but the file has \(bytes.count - headerSize - 4) (truncated or extended)")
    }
    let stored = UInt32(littleEndian: bytes[(bytes.count - 4)...].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
    let computed = CRC32.checksum(bytes[0..<(bytes.count - 4)])
    guard stored == computed else {
      throw .corrupt("checksum mismatch (stored \(hex(stored)), computed \(hex(computed)))")
    }
    return version
  }

  static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
  }

  /// The payload tree of validated bytes.
  static func payload(_ bytes: [UInt8]) throws(CheckpointError) -> StateTree {
    var reader = Reader(bytes: bytes, position: headerSize, end: bytes.count - 4)
    let tree = try reader.node(depth: 0)
    guard reader.position == reader.end else {
      throw .corrupt("\(reader.end - reader.position) stray bytes after the payload")
    }
    return tree
  }

  struct Reader {
    let bytes: [UInt8]
    var position: Int
    let end: Int

    init(bytes: [UInt8], position: Int, end: Int? = nil) {
      self.bytes = bytes
      self.position = position
      self.end = end ?? bytes.count
    }

    var remaining: Int { end - position }

    mutating func integer<I: FixedWidthInteger>(_ type: I.Type) throws(CheckpointError) -> I {
      let size = MemoryLayout<I>.size
      guard remaining >= size else { throw .corrupt("the payload ends inside a \(I.self) at byte \(position)") }
      let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: I.self) }
      position += size
      return I(littleEndian: value)
    }

    /// A count of elements of at least `elementSize` bytes each, checked against
    /// the remaining bytes before anything is allocated.
    mutating func count(elementSize: Int) throws(CheckpointError) -> Int {
      let at = position
      let raw = try integer(UInt64.self)
      guard raw <= UInt64(remaining / elementSize) else {
        throw .corrupt("a count of \(raw) at byte \(at) exceeds the \(remaining) bytes that remain")
      }
      return Int(raw)
    }

    /// `n` values of `Bits` (already checked to fit in the remaining bytes),
    /// converted by `make`.
    mutating func packed<Bits: FixedWidthInteger, X>(_ n: Int, _ make: (Bits) -> X) throws(CheckpointError) -> [X] {
      let size = MemoryLayout<Bits>.size
      guard remaining / size >= n else { throw .corrupt("a buffer of \(n) values overruns the payload") }
      let start = position
      let result = bytes.withUnsafeBytes { raw in
        [X](unsafeUninitializedCapacity: n) { buffer, count in
          for i in 0..<n {
            buffer.initializeElement(at: i, to: make(raw.loadUnaligned(fromByteOffset: start + i * size, as: Bits.self)))
          }
          count = n
        }
      }
      position += n * size
      return result
    }

    mutating func string() throws(CheckpointError) -> String {
      let length = try count(elementSize: 1)
      let slice = bytes[position..<(position + length)]
      position += length
      guard let string = String(validating: slice, as: UTF8.self) else {
        throw .corrupt("a string before byte \(position) is not valid UTF-8")
      }
      return string
    }

    mutating func node(depth: Int) throws(CheckpointError) -> StateTree {
      guard depth < CheckpointBinaryFormat.maximumDepth else {
        throw .corrupt("values nested deeper than \(CheckpointBinaryFormat.maximumDepth) levels")
      }
      let raw = try integer(UInt8.self)
      guard let tag = Tag(rawValue: raw) else { throw .corrupt("unknown value tag \(raw) at byte \(position - 1)") }
      switch tag {
      case .null: return .null
      case .falseValue: return .bool(false)
      case .trueValue: return .bool(true)
      case .integer: return .integer(try integer(Int64.self))
      case .unsigned: return .unsigned(try integer(UInt64.self))
      case .float: return .float(Float(bitPattern: try integer(UInt32.self)))
      case .double: return .double(Double(bitPattern: try integer(UInt64.self)))
      case .string: return .string(try string())
      case .array:
        let n = try count(elementSize: 1)
        var items: [StateTree] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(try node(depth: depth + 1)) }
        return .array(items)
      case .object:
        let n = try count(elementSize: 9)
        var members: [StateTree.Member] = []
        members.reserveCapacity(n)
        for _ in 0..<n {
          let key = try string()
          members.append(StateTree.Member(key: key, value: try node(depth: depth + 1)))
        }
        return .object(members)
      case .floats:
        let n = try count(elementSize: 4)
        guard n > 0 else { throw .corrupt("an empty packed array at byte \(position)") }
        return .floats(try packed(n) { Float(bitPattern: UInt32(littleEndian: $0)) })
      case .doubles:
        let n = try count(elementSize: 8)
        guard n > 0 else { throw .corrupt("an empty packed array at byte \(position)") }
        return .doubles(try packed(n) { Double(bitPattern: UInt64(littleEndian: $0)) })
      }
    }
  }
}
