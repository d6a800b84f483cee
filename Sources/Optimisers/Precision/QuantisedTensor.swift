import COptimisers

/// A leaf of optimiser state stored in 8 bits per value: one code per value
/// and one `Float` scale per block of ``blockSize`` values (block-wise dynamic
/// quantisation, Dettmers et al. 2022).
///
/// Value *i* is `map.value(codes[i]) · scales[i / 256]`, with the
/// ``QuantisationMap/signed`` or ``QuantisationMap/unsigned`` map. A block's
/// scale is its largest magnitude, so one large value costs precision only in
/// its own block of 256. A block that held NaN or ±∞ has scale NaN and reads
/// back as NaN throughout (the state stays visibly poisoned; it is never
/// silently finite).
///
/// Memory: 1 byte per value plus 4 bytes per 256 values, 1.016 bytes per value.
/// Copies share storage until one is written (copy-on-write). A checkpoint
/// stores the codes (8 to a `UInt64`, little-endian) and the scales as they are.
///
/// - Complexity: ``quantise(_:)`` and ``dequantised()`` are O(*n*).
/// - References: Dettmers, Lewis, Shleifer and Zettlemoyer, *8-bit Optimizers
///   via Block-wise Quantization*, ICLR 2022.
public struct QuantisedTensor: Sendable, Equatable {
  /// Values per scale: 256, as in the paper.
  public static let blockSize = 256

  /// The shape of the leaf it stands for.
  public let shape: [Int]
  /// Whether values use ``QuantisationMap/signed`` (else ``QuantisationMap/unsigned``).
  public let isSigned: Bool
  @usableFromInline var storage: Storage

  /// The number of values.
  @inlinable public var count: Int { storage.count }
  /// The number of blocks, ⌈count / 256⌉.
  @inlinable public var blockCount: Int { storage.blocks }
  /// The map the codes index.
  @inlinable public var map: QuantisationMap { isSigned ? .signed : .unsigned }

  /// Zeros of `shape`.
  public init(zerosOf shape: [Int], signed: Bool) {
    self.shape = shape
    isSigned = signed
    storage = Storage(count: shape.reduce(1, *))
    storage.codes.initialize(repeating: (signed ? QuantisationMap.signed : .unsigned).zeroCode, count: storage.count)
    storage.scales.initialize(repeating: 0, count: storage.blocks)
  }

  /// `values` quantised block by block.
  ///
  /// - Throws: ``QuantisationError/nonFinite(index:value:)`` for the first NaN or ±∞.
  public init(quantising values: [Float], shape: [Int], signed: Bool) throws(QuantisationError) {
    precondition(values.count == shape.reduce(1, *), "\(values.count) values do not fill shape \(shape)")
    self.init(zerosOf: shape, signed: signed)
    try quantise(values)
  }

  /// Replaces the values with `values`, quantised.
  ///
  /// - Throws: ``QuantisationError/nonFinite(index:value:)`` for the first NaN
  ///   or ±∞ (nothing is changed).
  public mutating func quantise(_ values: [Float]) throws(QuantisationError) {
    precondition(values.count == count, "\(values.count) values for a tensor of \(count)")
    if let index = values.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(index: index, value: values[index]) }
    makeUnique()
    let map = self.map, storage = self.storage
    values.withUnsafeBufferPointer { source in
      var block = 0
      while block * Self.blockSize < count {
        let lo = block * Self.blockSize, n = Swift.min(Self.blockSize, count - lo)
        storage.scales[block] = Self.encode(source.baseAddress! + lo, n, into: storage.codes + lo, map)
        block += 1
      }
    }
  }

  /// The values, decoded.
  public func dequantised() -> [Float] {
    let map = self.map
    return (0..<count).map { map.value(storage.codes[$0]) * storage.scales[$0 / Self.blockSize] }
  }

  /// Encodes `n` ≤ 256 values with scale = their largest magnitude and returns
  /// the scale (NaN if any value is NaN or ±∞): code *i* is
  /// `map.code(x[i] · (1 / scale))` (`x[i] / scale` when 1 / scale overflows),
  /// computed 8 values at a time where the processor allows.
  @inlinable @inline(__always)
  static func encode(_ x: UnsafePointer<Float>, _ n: Int, into codes: UnsafeMutablePointer<UInt8>, _ map: QuantisationMap) -> Float {
    optimisers_quantise_block(codes, x, n, map.tables)
  }

  /// Decodes `n` ≤ 256 codes of one block: `out[i] = map.value(codes[i]) · scale`.
  @inlinable @inline(__always)
  static func decode(_ codes: UnsafePointer<UInt8>, _ n: Int, scale: Float, into out: UnsafeMutablePointer<Float>, _ map: QuantisationMap) {
    optimisers_dequantise_block(out, codes, n, map.decoded, scale)
  }

  /// Makes the storage unique before a write.
  @inlinable
  public mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
  }

  /// Codes and scales, equal.
  public static func == (lhs: QuantisedTensor, rhs: QuantisedTensor) -> Bool {
    guard lhs.shape == rhs.shape, lhs.isSigned == rhs.isSigned else { return false }
    if lhs.storage === rhs.storage { return true }
    for i in 0..<lhs.count where lhs.storage.codes[i] != rhs.storage.codes[i] { return false }
    for b in 0..<lhs.blockCount where lhs.storage.scales[b].bitPattern != rhs.storage.scales[b].bitPattern { return false }
    return true
  }

  /// The codes and scales, heap-allocated.
  @usableFromInline
  final class Storage: @unchecked Sendable {
    @usableFromInline let count: Int
    @usableFromInline let blocks: Int
    @usableFromInline let codes: UnsafeMutablePointer<UInt8>
    @usableFromInline let scales: UnsafeMutablePointer<Float>

    init(count: Int) {
      self.count = count
      blocks = (count + QuantisedTensor.blockSize - 1) / QuantisedTensor.blockSize
      codes = .allocate(capacity: Swift.max(count, 1))
      scales = .allocate(capacity: Swift.max(blocks, 1))
    }

    @usableFromInline
    func copy() -> Storage {
      let other = Storage(count: count)
      other.codes.initialize(from: codes, count: count)
      other.scales.initialize(from: scales, count: blocks)
      return other
    }

    deinit {
      codes.deallocate()
      scales.deallocate()
    }
  }
}

extension QuantisedTensor: Codable {
  enum CodingKeys: String, CodingKey { case shape, signed, codes, scales }

  /// Decodes a tensor written by ``encode(to:)``, checking the code and scale
  /// counts against the shape and that every scale is ≥ 0 or NaN.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let shape = try container.decode([Int].self, forKey: .shape)
    guard shape.allSatisfy({ $0 >= 0 }) else {
      throw DecodingError.dataCorruptedError(forKey: .shape, in: container, debugDescription: "negative dimension in \(shape)")
    }
    self.init(zerosOf: shape, signed: try container.decode(Bool.self, forKey: .signed))
    let words = try container.decode([UInt64].self, forKey: .codes)
    let scales = try container.decode([Float].self, forKey: .scales)
    guard words.count == (count + 7) / 8 else {
      throw DecodingError.dataCorruptedError(
        forKey: .codes, in: container, debugDescription: "\(words.count) code words for \(count) values")
    }
    guard scales.count == blockCount else {
      throw DecodingError.dataCorruptedError(
        forKey: .scales, in: container, debugDescription: "\(scales.count) scales for \(blockCount) blocks")
    }
    if let bad = scales.first(where: { $0 < 0 || $0.isInfinite }) {
      throw DecodingError.dataCorruptedError(
        forKey: .scales, in: container, debugDescription: "block scale \(bad) is not ≥ 0 and finite (or NaN)")
    }
    for i in 0..<count { storage.codes[i] = UInt8(truncatingIfNeeded: words[i / 8] >> UInt64(8 * (i % 8))) }
    for b in 0..<blockCount { storage.scales[b] = scales[b] }
  }

  /// The shape, the map, the codes packed 8 to a `UInt64` (code *i* in bits
  /// 8(i mod 8)… of word ⌊i/8⌋) and the scales.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(shape, forKey: .shape)
    try container.encode(isSigned, forKey: .signed)
    var words = [UInt64](repeating: 0, count: (count + 7) / 8)
    for i in 0..<count { words[i / 8] |= UInt64(storage.codes[i]) << UInt64(8 * (i % 8)) }
    try container.encode(words, forKey: .codes)
    try container.encode(Array(UnsafeBufferPointer(start: storage.scales, count: blockCount)), forKey: .scales)
  }
}

/// Why values could not be quantised.
public enum QuantisationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Value `index` is NaN or ±∞, which 8-bit codes cannot hold.
  case nonFinite(index: Int, value: Float)

  public var description: String {
    switch self {
    case let .nonFinite(index, value): return "value \(index) is \(value); only finite values can be quantised"
    }
  }
}
