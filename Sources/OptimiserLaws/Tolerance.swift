import Optimisers

/// How far apart two runs of the same law may end, and why they may differ at
/// all. Two parameters `a` and `b` reached from the same start `s` agree when
///
///     |(a − s) − (b − s)| ≤ relative · max(|a − s|, |b − s|) + ulps · ulp(max(|a|, |b|))
///
/// that is, relative to how far the parameters moved, plus a few units in the
/// last place of the parameters themselves (the rounding of `p − Δ`).
/// ``exact`` compares bit patterns.
///
/// - Complexity: O(1) per comparison.
public struct Tolerance: Sendable, Hashable, CustomStringConvertible {
  /// Allowed error relative to the larger displacement.
  public var relative: Double
  /// Allowed error in units in the last place of the parameter's scalar type.
  public var ulps: Double

  /// Creates a tolerance.
  ///
  /// - Parameters:
  ///   - relative: Relative to the displacement; default 0.
  ///   - ulps: Units in the last place of the parameter; default 0.
  /// - Complexity: O(1).
  public init(relative: Double = 0, ulps: Double = 0) {
    self.relative = relative
    self.ulps = ulps
  }

  /// Bitwise equality: for laws that hold in floating point, not only in exact
  /// arithmetic (the same operations in the same order, or scalings by powers
  /// of two, which are exact).
  public static let exact = Tolerance()

  /// A few roundings of scalar type `S`: 64 machine epsilons relative to the
  /// displacement and 4 ulps of the parameter. For laws whose two sides round
  /// differently (a mean computed two ways, a scaling by a non-power of two).
  ///
  /// - Parameter type: `Float` or `Double`.
  /// - Complexity: O(1).
  public static func rounding<S: ParameterScalar>(_ type: S.Type) -> Tolerance {
    Tolerance(relative: 64 * Double(S.ulpOfOne), ulps: 4)
  }

  /// Whether `a` and `b`, both reached from `start`, agree; the ulps are
  /// counted at the larger of |a|, |b| and `magnitude` (the largest value the
  /// parameter took on the way, whose rounding the runs carry).
  ///
  /// - Complexity: O(1).
  public func accepts<S: ParameterScalar>(_ a: S, _ b: S, from start: S, magnitude: S = 0) -> Bool {
    if a.bitPattern == b.bitPattern { return true }
    if self == .exact || !a.isFinite || !b.isFinite { return false }
    let da = Double(a) - Double(start), db = Double(b) - Double(start)
    let scale = Swift.max(a.magnitude, b.magnitude, magnitude)
    return (da - db).magnitude <= relative * Swift.max(da.magnitude, db.magnitude) + ulps * Double(scale.ulp)
  }

  /// "bitwise" or the two bounds.
  ///
  /// - Complexity: O(1).
  public var description: String {
    self == .exact ? "bitwise" : "relative \(relative) + \(ulps) ulp"
  }
}

extension ParameterScalar {
  /// The raw bits, for bitwise comparison (`-0` and `0`, and NaN payloads, differ).
  var bitPattern: UInt64 {
    UInt64(truncatingIfNeeded: significandBitPattern) | (UInt64(exponentBitPattern) << UInt64(Self.significandBitCount))
      | (sign == .minus ? 1 << 63 : 0)
  }
}
