import COptimisers

/// A code book of 256 values in [−1, 1] for 8-bit block-wise quantisation:
/// the dynamic (tree) maps of Dettmers et al.
///
/// Each code stands for a value in the map; a block's values are divided by
/// the block's largest magnitude (its scale) and each is stored as the code of
/// the nearest map value. The dynamic map spends its codes on every decade
/// from 10⁻⁶ to 1 — decade *i* (counted from 0 at [10⁻⁷, 10⁻⁶)) holds
/// 2ⁱ evenly spaced values (the midpoints of `linspace(0.1, 1, 2ⁱ + 1)` times
/// 10^(i−6)) on each side for ``signed``, and 2ⁱ⁺¹ on the positive side for
/// ``unsigned`` — plus 0 and 1. So small values in a block keep their relative
/// precision much better than with a linear map: the paper's reason 8-bit Adam
/// trains as well as 32-bit Adam.
///
/// ``signed`` (for first moments and momenta, which take either sign) has 127
/// negative values down to −0.99297, zero, and 128 positive values up to 1;
/// ``unsigned`` (for second moments, ≥ 0) has zero and 255 positive values up to 1.
///
/// ## Mathematical properties
/// Encoding picks the nearest map value, so after quantisation with scale *s*
/// every value *x* of a block comes back within *s* · ``maximumHalfGap``
/// (0.00703 for ``signed``, 0.00352 for ``unsigned``), plus one rounding of the
/// product; values of magnitude below *s* · 2.7 × 10⁻⁷ become 0.
///
/// - Complexity: Building a map is O(256 + table); encoding a value is O(1): an
///   index from the value's exponent and 8 leading significand bits into a
///   table (2 × 6,145 buckets of 4 bytes) gives two neighbouring codes, then
///   one comparison with their exact midpoint picks one — the nearest value, ties
///   to the smaller magnitude, as a search of the 256 values would find.
/// - References: Dettmers, Lewis, Shleifer and Zettlemoyer, *8-bit Optimizers
///   via Block-wise Quantization*, ICLR 2022 (§2.2–2.3, the dynamic tree map).
public final class QuantisationMap: @unchecked Sendable {
  /// Whether the map has negative values.
  public let isSigned: Bool
  /// The 256 values, sorted ascending; code *c* stands for `values[c]`.
  @usableFromInline let decoded: UnsafeMutablePointer<Float>
  /// The code of 0.
  public let zeroCode: UInt8
  /// The largest distance from a value in [−1, 1] (in [0, 1] for
  /// ``unsigned``) to its nearest map value.
  public let maximumHalfGap: Float
  /// Per bucket (sign, binade from 2⁻²⁴ up to 1, top 8 significand bits of
  /// the magnitude): the code at the bucket's lower magnitudes (bits 0–7), the
  /// code above the threshold (bits 8–15), and the threshold's low 15 bits
  /// (bits 16–30; its other bits are the bucket's). The threshold is the
  /// largest `Float` at or below the exact midpoint of the two values.
  @usableFromInline let buckets: UnsafeMutablePointer<UInt32>
  /// The values and buckets, for the C kernels (`optimisers_quantise_block`, `optimisers_adam8`).
  @usableFromInline let tables: UnsafeMutablePointer<optimisers_quantisation_map>

  /// Buckets per sign: 24 binades of 256, and one for exactly 1.
  @usableFromInline static var bucketsPerSign: Int { 24 * 256 + 1 }
  /// The exponent field of 2⁻²⁴, the lowest binade the table resolves; every
  /// smaller magnitude is nearer 0 than any other map value.
  @usableFromInline static var lowestExponent: UInt32 { 103 }

  /// The signed dynamic map (first moments, momenta).
  public static let signed = QuantisationMap(signed: true)
  /// The unsigned dynamic map (second moments).
  public static let unsigned = QuantisationMap(signed: false)

  /// The 256 values, ascending.
  public var values: [Float] { Array(UnsafeBufferPointer(start: decoded, count: 256)) }

  private init(signed: Bool) {
    isSigned = signed
    var data: [Float] = []
    for i in 0..<7 {
      let intervals = signed ? 1 << i : 1 << (i + 1)
      let decade = Self.powerOfTen(i - 6)
      for k in 0..<intervals {
        // The midpoint of [0.1 + 0.9k/n, 0.1 + 0.9(k+1)/n], computed in Double.
        let mean = 0.1 + 0.9 * (Double(k) + 0.5) / Double(intervals)
        data.append(Float(decade * mean))
        if signed { data.append(Float(-decade * mean)) }
      }
    }
    data.append(0)
    data.append(1)
    precondition(data.count == 256, "the dynamic map must have 256 values")
    data.sort()
    decoded = .allocate(capacity: 256)
    decoded.initialize(from: data, count: 256)
    zeroCode = UInt8(data.firstIndex(of: 0)!)
    var gap: Float = signed ? 1 + data[0] : 0
    for c in 0..<255 { gap = Swift.max(gap, (data[c + 1] - data[c]) / 2) }
    maximumHalfGap = gap
    let total = 2 * Self.bucketsPerSign
    buckets = .allocate(capacity: total)
    for side in 0..<2 {
      let sign: Float = side == 0 ? 1 : -1
      for bucket in 0..<Self.bucketsPerSign {
        let start = (Self.lowestExponent << 23) + UInt32(bucket) << 15
        let lo: Float = bucket == 0 ? 0 : Float(bitPattern: start)
        let hi = bucket == Self.bucketsPerSign - 1 ? lo : Float(bitPattern: start + (1 << 15)).nextDown
        let (a, b) = (Self.nearest(sign * lo, in: data), Self.nearest(sign * hi, in: data))
        var entry = UInt32(a) | UInt32(b) << 8 | 0x7FFF << 16
        if a != b {
          // Bucket 0 also takes every smaller magnitude, so it must not need a threshold.
          precondition(abs(a - b) == 1 && bucket > 0, "a bucket of the quantisation table spans more than one threshold")
          let threshold = Self.threshold(data[a], data[b]).bitPattern
          precondition(threshold >> 15 == start >> 15, "a threshold lies outside its bucket")
          entry = UInt32(a) | UInt32(b) << 8 | (threshold & 0x7FFF) << 16
        }
        buckets[side * Self.bucketsPerSign + bucket] = entry
      }
    }
    tables = .allocate(capacity: 1)
    tables.initialize(to: optimisers_quantisation_map(values: decoded, buckets: buckets, zero_code: zeroCode))
  }

  deinit {
    decoded.deallocate()
    buckets.deallocate()
    tables.deallocate()
  }

  private static func powerOfTen(_ e: Int) -> Double {
    var x = 1.0
    for _ in 0..<abs(e) { x *= 10 }
    return e < 0 ? 1 / x : x
  }

  /// The index of the value nearest `x` in the sorted `data`, by exact
  /// distance (Double holds the difference of two of these Floats exactly);
  /// on a tie, the value of smaller magnitude.
  private static func nearest(_ x: Float, in data: [Float]) -> Int {
    var (lo, hi) = (0, data.count - 1)
    while hi - lo > 1 {
      let mid = (lo + hi) / 2
      if data[mid] <= x { lo = mid } else { hi = mid }
    }
    let (below, above) = (abs(Double(data[lo]) - Double(x)), abs(Double(data[hi]) - Double(x)))
    if below != above { return above < below ? hi : lo }
    return abs(data[hi]) < abs(data[lo]) ? hi : lo
  }

  /// The largest `Float` magnitude at or below the exact midpoint of |`a`| and
  /// |`b`|: a magnitude is nearer the larger one exactly when it is above this.
  /// (The midpoint rounded to nearest could land one step above the true
  /// midpoint, and a value equal to it would then be given the farther code.)
  private static func threshold(_ a: Float, _ b: Float) -> Float {
    let middle = (Double(a.magnitude) + Double(b.magnitude)) / 2
    let rounded = Float(middle)
    return Double(rounded) > middle ? rounded.nextDown : rounded
  }

  /// The value code `code` stands for, before scaling.
  @inlinable @inline(__always)
  public func value(_ code: UInt8) -> Float { decoded[Int(code)] }

  /// The code of the map value nearest `u`, for `u` in [−1, 1]; of two
  /// equally near values, the one of smaller magnitude. Values outside are
  /// clamped to the ends and NaN gives an unspecified code. The block encoder
  /// (``QuantisedTensor/quantise(_:)`` and the 8-bit rules' pass) computes the
  /// same code with vector instructions.
  @inlinable @inline(__always)
  public func code(_ u: Float) -> UInt8 {
    let bits = u.bitPattern, magnitude = bits & 0x7FFF_FFFF
    var bucket = Int(truncatingIfNeeded: magnitude >> 15) - Int(Self.lowestExponent << 8)
    bucket = bucket < 0 ? 0 : (bucket >= Self.bucketsPerSign ? Self.bucketsPerSign - 1 : bucket)
    let entry = buckets[Int(truncatingIfNeeded: bits >> 31) * Self.bucketsPerSign + bucket]
    return UInt8(truncatingIfNeeded: magnitude & 0x7FFF > entry >> 16 ? entry >> 8 : entry)
  }
}
