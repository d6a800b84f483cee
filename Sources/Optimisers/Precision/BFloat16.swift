/// The bfloat16 format ("brain floating point"): a `Float` with its low 16
/// significand bits cut off — 1 sign bit, 8 exponent bits (the range of
/// `Float`, up to about 3.39 × 10³⁸) and 7 stored significand bits (about 2.4
/// decimal digits, unit roundoff 2⁻⁸).
///
/// Swift has no such type; this one stores the 16 bits and computes in
/// `Float`: every operation converts its operands to `Float` exactly, computes,
/// and rounds the result to nearest, ties to even. For `+`, `−`, `×`, `÷` and
/// the square root that gives the correctly rounded bfloat16 result (`Float`
/// carries more than 2·8 + 2 significand bits, so rounding twice is harmless).
///
/// Use it as the scalar of parameters and gradients (`Tensor<BFloat16>`) to
/// halve their memory; keep the arithmetic of updates in `Float` with
/// ``MixedPrecision`` (a `Float` master copy) or the fused 8-bit rules
/// (``Quantised``), and write results back with
/// ``HalfPrecisionRounding/stochastic(seed:)`` when there is no master copy.
///
/// ## Mathematical properties
/// Every bfloat16 value is a `Float`: `Float(BFloat16(x))` is `x` rounded to 8
/// significant bits, and `BFloat16(Float(b)) == b` for every non-NaN `b`. NaN
/// stays NaN (quiet), ±∞ stay ±∞, finite values beyond the largest finite
/// bfloat16 round to ±∞, and subnormals are kept (not flushed to zero).
///
/// - Complexity: Every operation is O(1).
/// - References: Kalamkar et al., *A Study of BFLOAT16 for Deep Learning
///   Training*, 2019; IEEE 754-2019 §4.3.1 (round to nearest, ties to even).
@frozen
public struct BFloat16: Sendable {
  /// The 16 bits: sign, 8 exponent bits, 7 significand bits (the top half of
  /// the `Float` with the same value).
  public var bitPattern: UInt16

  /// The value with these bits.
  @inlinable public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

  /// `value` rounded to the nearest bfloat16, ties to even; NaN becomes a quiet
  /// NaN of the same sign.
  ///
  /// - Complexity: O(1), a few integer operations.
  @inlinable
  public init(_ value: Float) {
    let bits = value.bitPattern
    if value.isNaN {
      bitPattern = UInt16(truncatingIfNeeded: bits >> 16) | 0x0040
    } else {
      // Adding 0x7FFF plus the lowest kept bit rounds to nearest, ties to even;
      // a carry into the exponent is correct (up to the next binade or ∞).
      let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
      bitPattern = UInt16(truncatingIfNeeded: rounded >> 16)
    }
  }

  /// `value` rounded once to the nearest bfloat16, ties to even.
  ///
  /// Rounding to `Float` first could land exactly halfway between two
  /// bfloat16 values that `value` is not halfway between; such a tie is moved
  /// one `Float` step towards `value` before the second rounding.
  @inlinable
  public init(_ value: Double) {
    var single = Float(value)
    if single.isFinite && single.bitPattern & 0xFFFF == 0x8000 && Double(single) != value {
      single = Double(single) > value ? single.nextDown : single.nextUp
    }
    self.init(single)
  }

  /// `value` rounded towards a neighbour at random: up with probability equal
  /// to the distance from the lower neighbour over the gap, so that the
  /// expected result is `value` (stochastic rounding).
  ///
  /// - Parameters:
  ///   - value: The value to round.
  ///   - random: 16 or more uniformly random bits; the low 16 are used.
  /// - Complexity: O(1).
  @inlinable
  public init(_ value: Float, stochasticallyRoundedWith random: UInt32) {
    if !value.isFinite {
      self.init(value)
    } else {
      // Adding a uniform 16-bit number below the cut and truncating rounds up
      // with probability (low 16 bits) / 2¹⁶: exactly the distance to the lower
      // neighbour over the gap, for normal and subnormal values alike.
      let bits = value.bitPattern &+ (random & 0xFFFF)
      // A carry out of the largest finite value gives ∞, as rounding up there would.
      self.init(bitPattern: UInt16(truncatingIfNeeded: bits >> 16))
    }
  }

  /// The value as a `Float`, exactly.
  @inlinable public var floatValue: Float { Float(bitPattern: UInt32(bitPattern) << 16) }
}

extension Float {
  /// The bfloat16 value `value`, exactly.
  @inlinable public init(_ value: BFloat16) { self = value.floatValue }
}

extension BFloat16: CustomStringConvertible, CustomDebugStringConvertible {
  /// The shortest decimal text that reads back as this value, as a `Float` prints it.
  public var description: String { floatValue.description }
  /// The description and the bits.
  public var debugDescription: String { "BFloat16(\(floatValue), bits: 0x\(String(bitPattern, radix: 16)))" }
}

extension BFloat16: Codable {
  /// Decodes a `Float` and rounds it; a checkpoint written from bfloat16
  /// values holds `Float`s that convert back exactly.
  public init(from decoder: any Decoder) throws {
    self.init(try decoder.singleValueContainer().decode(Float.self))
  }

  /// Encodes the value as a `Float` (exact).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(floatValue)
  }
}
