/// How a floating-point value that a JSON number cannot carry exactly is
/// written in a ``Checkpoint``'s JSON form, so that a plain `JSONEncoder` and
/// `JSONDecoder` (no strategies) round-trip every value bit for bit.
///
/// A finite, non-negative-zero value is written as a JSON number: a `Double`
/// as itself, a `Float` as the `Double` with the same value (every `Float` is a
/// `Double`, and reading that decimal back as a `Double` and narrowing it is
/// exact, so no value is rounded twice). Everything else is a string:
///
/// | value | text |
/// | --- | --- |
/// | +∞, −∞ | `"Infinity"`, `"-Infinity"` |
/// | −0 | `"-0"` |
/// | the default quiet NaN (`.nan`, sign +, payload 0) | `"NaN"` |
/// | any other NaN | `"NaN:0x7fc00001"`: its IEEE bit pattern, 8 hex digits for a `Float`, 16 for a `Double` |
///
/// NaN payloads and signs are kept, as in the binary format. On reading, the
/// type being decoded decides: a string is parsed as a number only where a
/// `Float` or `Double` is expected, so a string field that happens to read
/// `"NaN"` stays a string. A JSON integer where a floating-point value is
/// expected is rounded to the nearest value (a `Double` of 2⁶⁰ is written as
/// `1.152921504606847e+18`, which a decoder may hand back as that integer).
///
/// - Complexity: O(1) per value.
/// - References: IEEE 754-2019 §6.2 (NaN payloads); Bray, RFC 8259 §6 (JSON
///   numbers have no NaN, infinity or negative-zero form).
enum ExactScalarText {
  /// The text for `x`, or `nil` when a JSON number carries it exactly.
  static func text(for x: Double) -> String? {
    special(isNaN: x.isNaN, isInfinite: x.isInfinite, sign: x.sign, isZero: x == 0,
            bits: x.bitPattern, defaultNaNBits: Double.nan.bitPattern, digits: 16)
  }

  /// The text for `x`, or `nil` when a JSON number carries it exactly.
  static func text(for x: Float) -> String? {
    special(isNaN: x.isNaN, isInfinite: x.isInfinite, sign: x.sign, isZero: x == 0,
            bits: UInt64(x.bitPattern), defaultNaNBits: UInt64(Float.nan.bitPattern), digits: 8)
  }

  static func special(
    isNaN: Bool, isInfinite: Bool, sign: FloatingPointSign, isZero: Bool, bits: UInt64, defaultNaNBits: UInt64,
    digits: Int
  ) -> String? {
    if isNaN {
      if bits == defaultNaNBits { return "NaN" }
      let hex = String(bits, radix: 16)
      return "NaN:0x" + String(repeating: "0", count: max(0, digits - hex.count)) + hex
    }
    if isInfinite { return sign == .minus ? "-Infinity" : "Infinity" }
    if isZero && sign == .minus { return "-0" }
    return nil
  }

  /// The `Double` that `text` stands for, or `nil` if it is none of the forms above.
  static func double(from text: String) -> Double? {
    value(from: text, narrow: { Double($0) }, wide: { $0 })
  }

  /// The `Float` that `text` stands for, or `nil` if it is none of the forms above.
  static func float(from text: String) -> Float? {
    value(from: text, narrow: { $0 }, wide: { Float($0) })
  }

  /// The value `text` stands for in `T`. A NaN's bit pattern of 8 hex digits
  /// or fewer is a `Float`'s and one of more is a `Double`'s; `narrow` and
  /// `wide` convert those to `T` as the hardware conversion does (keeping the
  /// NaN's sign and as much payload as fits).
  static func value<T: BinaryFloatingPoint>(
    from text: String, narrow: (Float) -> T, wide: (Double) -> T
  ) -> T? {
    switch text {
    case "Infinity": return .infinity
    case "-Infinity": return -.infinity
    case "-0": return -0.0
    case "NaN": return .nan
    default:
      guard let bits = nanBits(text) else { return nil }
      if bits <= UInt64(UInt32.max) {
        let narrowValue = Float(bitPattern: UInt32(bits))
        return narrowValue.isNaN ? narrow(narrowValue) : nil
      }
      let wideValue = Double(bitPattern: bits)
      return wideValue.isNaN ? wide(wideValue) : nil
    }
  }

  static func nanBits(_ text: String) -> UInt64? {
    guard text.hasPrefix("NaN:0x") else { return nil }
    let hex = text.dropFirst(6)
    guard (1...16).contains(hex.count) else { return nil }
    return UInt64(hex, radix: 16)
  }
}
