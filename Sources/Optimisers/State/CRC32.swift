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
