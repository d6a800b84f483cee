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
    var sink = CheckpointByteSinks.Bytes()
    sink.bytes.reserveCapacity(headerSize + payloadSize(tree) + 4)
    write(tree, version: version, to: &sink)
    return sink.bytes
  }

  /// Writes the header, the payload and the CRC of `tree` to `sink`, buffers
  /// straight from their storage.
  static func write<Sink: CheckpointByteSink>(_ tree: StateTree, version: Int, to sink: inout Sink) {
    var crc = CRC32()
    var checked = CheckpointByteSinks.Checksummed(base: sink, crc: crc)
    magic.withUnsafeBytes { checked.write($0) }
    checked.append(UInt32(truncatingIfNeeded: version))
    checked.append(UInt64(payloadSize(tree)))
    write(tree, to: &checked)
    crc = checked.crc
    sink = checked.base
    sink.append(crc.value)
  }

  /// The payload's byte count, computed without writing it.
  static func payloadSize(_ tree: StateTree) -> Int {
    switch tree {
    case .null, .bool: return 1
    case .integer, .unsigned, .double: return 9
    case .float: return 5
    case .string(let x): return 9 + x.utf8.count
    case .array(let items): return items.reduce(9) { $0 + payloadSize($1) }
    case .object(let members): return members.reduce(9) { $0 + 8 + $1.key.utf8.count + payloadSize($1.value) }
    case .floats(let xs): return 9 + 4 * xs.count
    case .doubles(let xs): return 9 + 8 * xs.count
    }
  }

  static func write<Sink: CheckpointByteSink>(_ tree: StateTree, to sink: inout Sink) {
    switch tree {
    case .null: sink.append(Tag.null.rawValue)
    case .bool(let x): sink.append(x ? Tag.trueValue.rawValue : Tag.falseValue.rawValue)
    case .integer(let x):
      sink.append(Tag.integer.rawValue)
      sink.append(x)
    case .unsigned(let x):
      sink.append(Tag.unsigned.rawValue)
      sink.append(x)
    case .float(let x):
      sink.append(Tag.float.rawValue)
      sink.append(x.bitPattern)
    case .double(let x):
      sink.append(Tag.double.rawValue)
      sink.append(x.bitPattern)
    case .string(let x):
      sink.append(Tag.string.rawValue)
      writeString(x, to: &sink)
    case .array(let items):
      sink.append(Tag.array.rawValue)
      sink.append(UInt64(items.count))
      for item in items { write(item, to: &sink) }
    case .object(let members):
      sink.append(Tag.object.rawValue)
      sink.append(UInt64(members.count))
      for member in members {
        writeString(member.key, to: &sink)
        write(member.value, to: &sink)
      }
    case .floats(let xs):
      sink.append(Tag.floats.rawValue)
      sink.append(UInt64(xs.count))
      writeRaw(xs, to: &sink) { $0.bitPattern }
    case .doubles(let xs):
      sink.append(Tag.doubles.rawValue)
      sink.append(UInt64(xs.count))
      writeRaw(xs, to: &sink) { $0.bitPattern }
    }
  }

  static var isLittleEndian: Bool { UInt32(1).littleEndian == 1 }

  /// Writes the IEEE bits of `xs`, little-endian: straight from the array's
  /// storage on little-endian machines, element by element elsewhere.
  static func writeRaw<X, Bits: FixedWidthInteger, Sink: CheckpointByteSink>(
    _ xs: [X], to sink: inout Sink, bits: (X) -> Bits
  ) {
    if isLittleEndian {
      xs.withUnsafeBytes { sink.write($0) }
    } else {
      for x in xs { sink.append(bits(x)) }
    }
  }

  static func writeString<Sink: CheckpointByteSink>(_ string: String, to sink: inout Sink) {
    var string = string
    string.withUTF8 { utf8 in
      sink.append(UInt64(utf8.count))
      sink.write(UnsafeRawBufferPointer(utf8))
    }
  }

  // MARK: Reading

  /// The format version and payload length in a header, after checking the
  /// magic number, that the version is one this library reads, and that the
  /// total size is `size` (the file's, or the byte array's).
  ///
  /// Needs only the first ``headerSize`` bytes, so a file is checked before its
  /// payload is read.
  static func header(_ prefix: UnsafeRawBufferPointer, totalSize size: Int) throws(CheckpointError) -> (version: Int, length: Int) {
    guard prefix.count >= magic.count, magic.indices.allSatisfy({ prefix[$0] == magic[$0] }) else {
      throw .notACheckpoint("it does not start with the checkpoint magic number")
    }
    guard prefix.count >= headerSize, size >= headerSize + 4 else {
      throw .corrupt("it is truncated: \(size) bytes, shorter than a header")
    }
    let version = UInt32(littleEndian: prefix.loadUnaligned(fromByteOffset: magic.count, as: UInt32.self))
    let length = UInt64(littleEndian: prefix.loadUnaligned(fromByteOffset: magic.count + 4, as: UInt64.self))
    guard version != 0 else {
      throw .corrupt("the header says format version 0, but binary checkpoints start at version 1 (version 0 is a bare JSON state)")
    }
    guard Checkpoint.readableFormatVersions.contains(Int(version)) else {
      throw .unsupportedFormatVersion(found: Int(version), readable: 1...Checkpoint.currentFormatVersion)
    }
    let expectedTotal = UInt64(headerSize) &+ length &+ 4
    guard length <= UInt64(size), expectedTotal == UInt64(size) else {
      throw .corrupt("the header announces \(length) payload bytes, but there are \(size - headerSize - 4) (truncated or extended)")
    }
    return (Int(version), Int(length))
  }

  /// The format version in the header, after checking the magic number, the
  /// version, the length and the checksum.
  static func validatedVersion(_ bytes: [UInt8]) throws(CheckpointError) -> Int {
    let (version, _) = try bytes.withUnsafeBytes { raw in
      Result { () throws(CheckpointError) in
        try header(UnsafeRawBufferPointer(rebasing: raw.prefix(headerSize)), totalSize: raw.count)
      }
    }.get()
    let stored = UInt32(littleEndian: bytes[(bytes.count - 4)...].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
    var crc = CRC32()
    bytes.withUnsafeBytes { crc.update(bytesOf: UnsafeRawBufferPointer(rebasing: $0.dropLast(4))) }
    guard stored == crc.value else {
      throw .corrupt("checksum mismatch (stored \(hex(stored)), computed \(hex(crc.value)))")
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
    reader.budget = memoryBudget(payloadBytes: bytes.count - headerSize - 4)
    let tree = try reader.node(depth: 0)
    guard reader.position == reader.end else {
      throw .corrupt("\(reader.end - reader.position) stray bytes after the payload")
    }
    return tree
  }

  /// How many bytes of memory decoding a payload of `payloadBytes` may
  /// allocate: 8 bytes per payload byte and 1 MiB. A real checkpoint needs
  /// about one byte per buffer byte and at most about 5 per byte of small
  /// structure (a one-element leaf); hostile input made of tiny nodes would
  /// need up to 40, and is refused when it reaches the budget.
  static func memoryBudget(payloadBytes: Int) -> Int { 8 * payloadBytes + (1 << 20) }

  /// Estimated heap cost of decoded values, charged against the budget.
  enum Cost {
    /// A boxed tree node (the enum's payload on the heap).
    static let node = 48
    /// An array's header.
    static let array = 32
    /// One element slot of a `[StateTree]`.
    static let element = 8
    /// One member of an object: a key (`String`) and a value.
    static let member = 24
  }

  struct Reader {
    let bytes: [UInt8]
    var position: Int
    let end: Int
    /// Bytes the decoded tree may still allocate (estimated).
    var budget = Int.max

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

    /// Charges `bytes` against the budget, or throws when it is spent.
    mutating func charge(_ bytes: Int) throws(CheckpointError) {
      guard bytes <= budget else {
        throw .corrupt(
          "decoding it would allocate more than \(CheckpointBinaryFormat.memoryBudget(payloadBytes: end - CheckpointBinaryFormat.headerSize)) bytes for \(end - CheckpointBinaryFormat.headerSize) payload bytes (too many tiny values for a checkpoint)")
      }
      budget -= bytes
    }

    mutating func string() throws(CheckpointError) -> String {
      let length = try count(elementSize: 1)
      try charge(16 + (length > 15 ? length + Cost.array : 0))
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
      try charge(Cost.node)
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
        try charge(Cost.array + n * Cost.element)
        var items: [StateTree] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(try node(depth: depth + 1)) }
        return .array(items)
      case .object:
        let n = try count(elementSize: 9)
        try charge(Cost.array + n * Cost.member)
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
        try charge(Cost.array + 4 * n)
        return .floats(try packed(n) { Float(bitPattern: UInt32(littleEndian: $0)) })
      case .doubles:
        let n = try count(elementSize: 8)
        guard n > 0 else { throw .corrupt("an empty packed array at byte \(position)") }
        try charge(Cost.array + 8 * n)
        return .doubles(try packed(n) { Double(bitPattern: UInt64(littleEndian: $0)) })
      }
    }
  }
}
