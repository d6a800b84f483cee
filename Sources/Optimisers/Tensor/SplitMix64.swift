/// A small, fast, seedable pseudo-random number generator with the same output
/// on every platform.
///
/// `SplitMix64` advances a 64-bit counter by the golden-ratio increment and mixes
/// it with two multiply–xor–shift rounds. It passes BigCrush, needs 8 bytes of
/// state, and is what ``Tensor``'s seeded initialisers use, so
/// `Tensor(randomNormal: [2, 5], seed: 1)` is the same tensor everywhere.
///
/// ```swift
/// var generator = SplitMix64(seed: 42)
/// let coin = Bool.random(using: &generator)
/// ```
///
/// - Complexity: ``next()`` is O(1).
/// - References: Steele, Lea and Flood, *Fast Splittable Pseudorandom Number
///   Generators*, OOPSLA 2014.
public struct SplitMix64: RandomNumberGenerator, Codable, Sendable, Hashable {
  /// The generator's whole state.
  public var state: UInt64

  /// Creates a generator from a seed; equal seeds give equal sequences.
  ///
  /// - Parameter seed: Any 64-bit value.
  /// - Complexity: O(1).
  @inlinable public init(seed: UInt64) { state = seed }

  /// Returns the next 64 pseudo-random bits.
  ///
  /// - Complexity: O(1).
  @inlinable public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A double in [0, 1) with 53 random bits.
  ///
  /// - Complexity: O(1).
  @inlinable public mutating func nextUnitInterval() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A standard normal deviate, by Marsaglia's polar method, using only IEEE
  /// arithmetic (and a logarithm written here in plain arithmetic), so the value
  /// is the same on every platform.
  ///
  /// - Complexity: O(1) expected.
  /// - References: Marsaglia and Bray, *A Convenient Method for Generating
  ///   Normal Variables*, SIAM Review, 1964.
  @inlinable public mutating func nextStandardNormal() -> Double {
    while true {
      let u = 2 * nextUnitInterval() - 1
      let v = 2 * nextUnitInterval() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 {
        return u * (-2 * SplitMix64.portableLog(s) / s).squareRoot()
      }
    }
  }

  /// The natural logarithm of a positive, finite `x` from IEEE operations only:
  /// x = m·2ᵉ with m ∈ [√½, √2), ln x = e·ln 2 + 2 atanh((m − 1)/(m + 1)) by its
  /// odd power series. Accurate to a few units in the last place and identical on
  /// every platform.
  @inlinable static func portableLog(_ x: Double) -> Double {
    var e = Double(x.exponent)
    var m = x.significand
    if m > 1.4142135623730951 {
      m /= 2
      e += 1
    }
    let z = (m - 1) / (m + 1)
    let z2 = z * z
    var term = z
    var series = 0.0
    var k = 1.0
    while k < 40 {
      series += term / k
      term *= z2
      k += 2
    }
    return e * 0.6931471805599453 + 2 * series
  }
}

extension Tensor {
  /// Creates a tensor of normally distributed scalars from a seed.
  ///
  /// The same seed gives the same tensor on every platform (see ``SplitMix64``).
  ///
  /// - Parameters:
  ///   - shape: The extent of each axis.
  ///   - seed: The generator seed.
  ///   - mean: The distribution's mean; default 0.
  ///   - standardDeviation: The distribution's standard deviation; default 1.
  /// - Complexity: O(*n*).
  @inlinable
  public init(randomNormal shape: [Int], seed: UInt64, mean: Scalar = 0, standardDeviation: Scalar = 1) {
    var generator = SplitMix64(seed: seed)
    let count = Tensor.elementCount(of: shape)
    self.init(shape: shape, storage: TensorStorage(count: count) { out in
      for i in 0..<count {
        out.initializeElement(at: i, to: mean + standardDeviation * Scalar(generator.nextStandardNormal()))
      }
    })
  }

  /// Creates a tensor of uniformly distributed scalars in [`lowerBound`,
  /// `upperBound`) from a seed.
  ///
  /// - Parameters:
  ///   - shape: The extent of each axis.
  ///   - seed: The generator seed.
  ///   - lowerBound: The smallest value; default 0.
  ///   - upperBound: The bound above every value; default 1.
  /// - Complexity: O(*n*).
  @inlinable
  public init(randomUniform shape: [Int], seed: UInt64, lowerBound: Scalar = 0, upperBound: Scalar = 1) {
    var generator = SplitMix64(seed: seed)
    let count = Tensor.elementCount(of: shape)
    let width = upperBound - lowerBound
    self.init(shape: shape, storage: TensorStorage(count: count) { out in
      for i in 0..<count {
        out.initializeElement(at: i, to: lowerBound + width * Scalar(generator.nextUnitInterval()))
      }
    })
  }
}
