/// The CRC-32 checksum (IEEE 802.3, reflected polynomial 0xEDB88320) that guards
/// a binary ``Checkpoint``.
///
/// A CRC-32 detects every burst error up to 32 bits long and every odd number of
/// flipped bits; random corruption slips through with probability 2⁻³².
///
/// ```swift
/// var crc = CRC32()
/// crc.update(Array("123456789".utf8))
/// crc.value   // 0xCBF43926
/// ```
///
/// - Complexity: ``update(_:)`` is O(*n*), one table look-up per byte.
/// - References: Peterson and Brown, *Cyclic Codes for Error Detection*,
///   Proc. IRE, 1961; ISO/IEC 8802-3 (the polynomial).
public struct CRC32: Sendable, Hashable {
  /// The running register, inverted.
  @usableFromInline var register: UInt32 = 0xFFFF_FFFF

  /// The 256-entry table for the reflected polynomial.
  @usableFromInline static let table: [UInt32] = (0..<256).map { index in
    var c = UInt32(index)
    for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  /// Creates a checksum of no bytes.
  ///
  /// - Complexity: O(1).
  public init() {}

  /// Adds `bytes` to the checksum.
  ///
  /// - Parameter bytes: The next bytes.
  /// - Complexity: O(*n*).
  @inlinable public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
    let table = CRC32.table
    var c = register
    for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
    register = c
  }

  /// The slicing-by-8 tables, flat: entry `256 k + b` is the register after
  /// byte `b` followed by `k` zero bytes.
  static let slicingTable: [UInt32] = {
    var flat = table
    for k in 1..<8 {
      for index in 0..<256 {
        let previous = flat[(k - 1) * 256 + index]
        flat.append(table[Int(previous & 0xFF)] ^ (previous >> 8))
      }
    }
    return flat
  }()

  /// Adds the bytes of `buffer`, eight at a time (slicing-by-8, several times
  /// faster than ``update(_:)`` on long buffers, with the same result).
  ///
  /// - Parameter buffer: The next bytes.
  /// - Complexity: O(*n*), eight table look-ups per eight bytes.
  /// - References: Kounavis and Berry, *A Systematic Approach to Building High
  ///   Performance Software-Based CRC Generators*, ISCC 2005.
  public mutating func update(bytesOf buffer: UnsafeRawBufferPointer) {
    var c = register
    var index = 0
    let count = buffer.count
    CRC32.slicingTable.withUnsafeBufferPointer { t in
      while index + 8 <= count {
        let low = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: index, as: UInt32.self)) ^ c
        let high = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self))
        let a = t[1792 + Int(low & 0xFF)] ^ t[1536 + Int((low >> 8) & 0xFF)]
        let b = t[1280 + Int((low >> 16) & 0xFF)] ^ t[1024 + Int(low >> 24)]
        let d = t[768 + Int(high & 0xFF)] ^ t[512 + Int((high >> 8) & 0xFF)]
        let e = t[256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
        c = a ^ b ^ d ^ e
        index += 8
      }
      while index < count {
        c = t[Int((c ^ UInt32(buffer[index])) & 0xFF)] ^ (c >> 8)
        index += 1
      }
    }
    register = c
  }

  /// The checksum of every byte added so far.
  ///
  /// - Complexity: O(1).
  @inlinable public var value: UInt32 { register ^ 0xFFFF_FFFF }

  /// The checksum of `bytes`.
  ///
  /// - Parameter bytes: The bytes to check.
  /// - Complexity: O(*n*).
  @inlinable public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
    var crc = CRC32()
    crc.update(bytes)
    return crc.value
  }
}
