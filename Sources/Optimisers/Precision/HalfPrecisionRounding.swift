/// How a `Float` result is written into a parameter of lower precision
/// (``BFloat16``, `Float16`); for `Float` and `Double` parameters both ways
/// store the value as it is.
///
/// Rounding to nearest loses every update smaller than half a unit in the
/// last place: with bfloat16's 8 significant bits an update below 2⁻⁹ of the
/// weight vanishes, so small learning rates stall. Stochastic rounding rounds
/// up with probability equal to the fraction of the gap covered, so the
/// expected stored value is the exact one and small updates accumulate on
/// average (Zamirai et al.; Gupta et al.).
///
/// The random bits come from a counter-based generator: a hash of (seed,
/// step, leaf, index), see ``CounterRandom``. No generator state is carried,
/// a step is reproducible from the optimiser's state alone, and results do not
/// depend on the number of threads or how the work is split.
///
/// - References: Gupta, Agrawal, Gopalakrishnan and Narayanan, *Deep Learning
///   with Limited Numerical Precision*, ICML 2015; Zamirai, Zhang, Aberger and
///   De Sa, *Revisiting BFloat16 Training*, 2020.
public enum HalfPrecisionRounding: Codable, Sendable, Hashable {
  /// Round to nearest, ties to even.
  case nearest
  /// Round up or down at random, unbiased, from the counter-based generator
  /// with this seed.
  case stochastic(seed: UInt64)

  /// The seed, or `nil` for ``nearest``.
  @inlinable public var seed: UInt64? {
    if case .stochastic(let seed) = self { return seed }
    return nil
  }
}

/// A counter-based random generator: the bits for a position are a hash of
/// the position, so any element's bits can be computed on any thread, in any
/// order, without state.
///
/// ``stream(seed:step:leaf:)`` hashes (seed, step, leaf) into a key; the
/// bits for element *i* are then the SplitMix64 finaliser of key + ⌊i/4⌋·φ
/// (φ the golden-ratio increment), 16 bits per element.
///
/// - Complexity: O(1) per element, one 64-bit finaliser per 4 elements.
/// - References: Salmon, Moraes, Dror and Shaw, *Parallel Random Numbers: As
///   Easy as 1, 2, 3*, SC 2011 (counter-based generators); Steele, Lea and
///   Flood, *Fast Splittable Pseudorandom Number Generators*, 2014 (the finaliser).
public enum CounterRandom {
  /// The SplitMix64 finaliser.
  @inlinable @inline(__always)
  public static func mix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The key of one leaf's stream at one step.
  @inlinable
  public static func stream(seed: UInt64, step: Int, leaf: Int) -> UInt64 {
    mix(seed ^ mix(UInt64(truncatingIfNeeded: step) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: leaf)))
  }

  /// 16 random bits for element `index` of a stream.
  @inlinable @inline(__always)
  public static func bits(_ stream: UInt64, _ index: Int) -> UInt32 {
    let word = mix(stream &+ UInt64(truncatingIfNeeded: index >> 2) &* 0x9E37_79B9_7F4A_7C15)
    return UInt32(truncatingIfNeeded: word >> UInt64((index & 3) << 4)) & 0xFFFF
  }
}

/// Conversions between the parameters' scalar type and `Float`, the type the
/// low-precision kernels compute in; each folds to a move, a shift or a
/// conversion instruction once specialised.
@usableFromInline
enum ScalarConversion {
  @inlinable @inline(__always)
  static func float<S: ParameterScalar>(_ x: S) -> Float {
    if S.self == Float.self { return unsafeBitCast(x, to: Float.self) }
    if S.self == BFloat16.self { return unsafeBitCast(x, to: BFloat16.self).floatValue }
    return Float(x)
  }

  /// `x` rounded to nearest.
  @inlinable @inline(__always)
  static func nearest<S: ParameterScalar>(_ x: Float) -> S {
    if S.self == Float.self { return unsafeBitCast(x, to: S.self) }
    if S.self == BFloat16.self { return unsafeBitCast(BFloat16(x), to: S.self) }
    return S(x)
  }

  /// `x` rounded stochastically with the low 16 bits of `random` (bfloat16),
  /// or with them as a fraction of the gap (`Float16`); other types as `nearest`.
  @inlinable @inline(__always)
  static func stochastic<S: ParameterScalar>(_ x: Float, _ random: UInt32) -> S {
    if S.self == BFloat16.self { return unsafeBitCast(BFloat16(x, stochasticallyRoundedWith: random), to: S.self) }
    if S.self == Float.self || S.self == Double.self || !x.isFinite { return nearest(x) }
    // Float16 and others: truncate towards zero, then step away from zero
    // with probability (distance to the truncated value) / gap.
    let closest = S(x)
    let truncated = Float(closest).magnitude > x.magnitude ? (x > 0 ? closest.nextDown : closest.nextUp) : closest
    let away = x > 0 ? truncated.nextUp : truncated.nextDown
    let fraction = abs(x - Float(truncated)) / abs(Float(away) - Float(truncated))
    return Float(random & 0xFFFF) < fraction * 65536 ? away : truncated
  }
}
