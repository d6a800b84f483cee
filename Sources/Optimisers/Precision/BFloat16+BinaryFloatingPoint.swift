// The floating-point protocols for BFloat16. Arithmetic converts to Float
// (exactly), computes and rounds to nearest even; properties that depend only
// on the bits read them directly.

extension BFloat16: BinaryFloatingPoint {
  public typealias Exponent = Int
  public typealias RawSignificand = UInt16
  public typealias RawExponent = UInt
  public typealias Magnitude = BFloat16
  public typealias Stride = BFloat16
  public typealias FloatLiteralType = Float
  public typealias IntegerLiteralType = Int

  /// 8, as for `Float`.
  @inlinable public static var exponentBitCount: Int { 8 }
  /// 7.
  @inlinable public static var significandBitCount: Int { 7 }

  @inlinable public var exponentBitPattern: UInt { UInt((bitPattern >> 7) & 0xFF) }
  @inlinable public var significandBitPattern: UInt16 { bitPattern & 0x7F }
  @inlinable public var sign: FloatingPointSign { bitPattern & 0x8000 == 0 ? .plus : .minus }

  @inlinable
  public init(sign: FloatingPointSign, exponentBitPattern: UInt, significandBitPattern: UInt16) {
    let s: UInt16 = sign == .minus ? 0x8000 : 0
    self.init(bitPattern: s | UInt16(truncatingIfNeeded: (exponentBitPattern & 0xFF) << 7) | (significandBitPattern & 0x7F))
  }

  @inlinable public init(floatLiteral value: Float) { self.init(value) }
  @inlinable public init(integerLiteral value: Int) { self.init(Double(value)) }
  @inlinable public init(_ value: Int) { self.init(Double(value)) }

  /// Rounded once through `Double` (exact for |value| < 2⁵³).
  @inlinable public init<Source: BinaryInteger>(_ value: Source) { self.init(Double(value)) }

  @inlinable
  public init?<Source: BinaryInteger>(exactly value: Source) {
    self.init(value)
    guard isFinite, let back = Source(exactly: floatValue), back == value else { return nil }
  }

  #if arch(x86_64) || arch(i386)
  /// Rounded through `Double`.
  @inlinable public init(_ value: Float80) { self.init(Double(value)) }
  #endif

  @inlinable
  public init(sign: FloatingPointSign, exponent: Int, significand: BFloat16) {
    self.init(Float(sign: sign, exponent: exponent, significand: significand.floatValue))
  }

  @inlinable
  public init(signOf sign: BFloat16, magnitudeOf magnitude: BFloat16) {
    self.init(bitPattern: (sign.bitPattern & 0x8000) | (magnitude.bitPattern & 0x7FFF))
  }

  @inlinable public static var nan: BFloat16 { BFloat16(bitPattern: 0x7FC0) }
  @inlinable public static var signalingNaN: BFloat16 { BFloat16(bitPattern: 0x7FA0) }
  @inlinable public static var infinity: BFloat16 { BFloat16(bitPattern: 0x7F80) }
  @inlinable public static var greatestFiniteMagnitude: BFloat16 { BFloat16(bitPattern: 0x7F7F) }
  /// π rounded to bfloat16 (3.140625).
  @inlinable public static var pi: BFloat16 { BFloat16(bitPattern: 0x4049) }
  @inlinable public static var leastNormalMagnitude: BFloat16 { BFloat16(bitPattern: 0x0080) }
  @inlinable public static var leastNonzeroMagnitude: BFloat16 { BFloat16(bitPattern: 0x0001) }

  @inlinable
  public var ulp: BFloat16 {
    guard isFinite else { return .nan }
    let e = exponentBitPattern
    if e == 0 { return .leastNonzeroMagnitude }
    if e > 7 { return BFloat16(sign: .plus, exponentBitPattern: e - 7, significandBitPattern: 0) }
    return BFloat16(bitPattern: UInt16(1) << (e - 1))
  }

  @inlinable public var exponent: Int { floatValue.exponent }
  @inlinable public var significand: BFloat16 { BFloat16(floatValue.significand) }
  @inlinable public var binade: BFloat16 { BFloat16(floatValue.binade) }
  @inlinable public var significandWidth: Int { floatValue.significandWidth }
  @inlinable public var magnitude: BFloat16 { BFloat16(bitPattern: bitPattern & 0x7FFF) }

  @inlinable
  public var nextUp: BFloat16 {
    if isNaN { return BFloat16(bitPattern: bitPattern | 0x0040) }
    if bitPattern == 0x7F80 { return self }
    if isZero { return .leastNonzeroMagnitude }
    return BFloat16(bitPattern: sign == .plus ? bitPattern + 1 : bitPattern - 1)
  }

  @inlinable public static func + (lhs: BFloat16, rhs: BFloat16) -> BFloat16 { BFloat16(lhs.floatValue + rhs.floatValue) }
  @inlinable public static func - (lhs: BFloat16, rhs: BFloat16) -> BFloat16 { BFloat16(lhs.floatValue - rhs.floatValue) }
  @inlinable public static func * (lhs: BFloat16, rhs: BFloat16) -> BFloat16 { BFloat16(lhs.floatValue * rhs.floatValue) }
  @inlinable public static func / (lhs: BFloat16, rhs: BFloat16) -> BFloat16 { BFloat16(lhs.floatValue / rhs.floatValue) }
  @inlinable public static func += (lhs: inout BFloat16, rhs: BFloat16) { lhs = lhs + rhs }
  @inlinable public static func -= (lhs: inout BFloat16, rhs: BFloat16) { lhs = lhs - rhs }
  @inlinable public static func *= (lhs: inout BFloat16, rhs: BFloat16) { lhs = lhs * rhs }
  @inlinable public static func /= (lhs: inout BFloat16, rhs: BFloat16) { lhs = lhs / rhs }
  @inlinable public static prefix func - (operand: BFloat16) -> BFloat16 { BFloat16(bitPattern: operand.bitPattern ^ 0x8000) }
  @inlinable public mutating func negate() { bitPattern ^= 0x8000 }

  /// Exact: the remainder of two bfloat16 values is a bfloat16 value.
  @inlinable public mutating func formRemainder(dividingBy other: BFloat16) {
    self = BFloat16(floatValue.remainder(dividingBy: other.floatValue))
  }

  @inlinable public mutating func formTruncatingRemainder(dividingBy other: BFloat16) {
    self = BFloat16(floatValue.truncatingRemainder(dividingBy: other.floatValue))
  }

  @inlinable public mutating func formSquareRoot() { self = BFloat16(floatValue.squareRoot()) }

  /// self + lhs·rhs, the product exact and the sum rounded in `Double` before
  /// the final rounding.
  @inlinable public mutating func addProduct(_ lhs: BFloat16, _ rhs: BFloat16) {
    self = BFloat16(Double(floatValue) + Double(lhs.floatValue) * Double(rhs.floatValue))
  }

  /// Exact: an integral value of a bfloat16 is a bfloat16.
  @inlinable public mutating func round(_ rule: FloatingPointRoundingRule) { self = BFloat16(floatValue.rounded(rule)) }

  @inlinable public func isEqual(to other: BFloat16) -> Bool { floatValue == other.floatValue }
  @inlinable public func isLess(than other: BFloat16) -> Bool { floatValue < other.floatValue }
  @inlinable public func isLessThanOrEqualTo(_ other: BFloat16) -> Bool { floatValue <= other.floatValue }
  @inlinable public func isTotallyOrdered(belowOrEqualTo other: BFloat16) -> Bool {
    floatValue.isTotallyOrdered(belowOrEqualTo: other.floatValue)
  }

  @inlinable public static func == (lhs: BFloat16, rhs: BFloat16) -> Bool { lhs.floatValue == rhs.floatValue }
  @inlinable public static func < (lhs: BFloat16, rhs: BFloat16) -> Bool { lhs.floatValue < rhs.floatValue }
  @inlinable public func hash(into hasher: inout Hasher) { hasher.combine(floatValue) }

  @inlinable public var isNormal: Bool { exponentBitPattern != 0 && exponentBitPattern != 0xFF }
  @inlinable public var isFinite: Bool { exponentBitPattern != 0xFF }
  @inlinable public var isZero: Bool { bitPattern & 0x7FFF == 0 }
  @inlinable public var isSubnormal: Bool { exponentBitPattern == 0 && significandBitPattern != 0 }
  @inlinable public var isInfinite: Bool { bitPattern & 0x7FFF == 0x7F80 }
  @inlinable public var isNaN: Bool { bitPattern & 0x7FFF > 0x7F80 }
  @inlinable public var isSignalingNaN: Bool { isNaN && bitPattern & 0x0040 == 0 }
  @inlinable public var isCanonical: Bool { true }

  @inlinable public func distance(to other: BFloat16) -> BFloat16 { other - self }
  @inlinable public func advanced(by n: BFloat16) -> BFloat16 { self + n }
}
