/// One recorded random decision of a ``Generator``: the bits drawn and how to
/// read and simplify them. A generated value is a pure function of its list of
/// choices, so shrinking works on that list (shorter, smaller) and replays it,
/// whatever ``Generator/map(_:)``, ``Generator/filter(maximumRejections:_:)`` or
/// ``Generator/flatMap(_:)`` did with the values.
///
/// - References: MacIver and Donaldson, *Test-Case Reduction via Test-Case
///   Generation: Insights from the Hypothesis Reducer*, ECOOP 2020.
struct Choice: Sendable, Hashable {
  enum Kind: Sendable, Hashable {
    /// A whole number in `0...bound`; 0 is the simplest.
    case integer(bound: UInt64)
    /// A `Double` in `lower...upper`, stored as its bit pattern.
    case real(lower: Double, upper: Double)
  }

  var bits: UInt64
  var kind: Kind

  /// The choice read as a whole number in `0...bound`, whatever it was
  /// recorded as (shrinking may shift a real into an integer's place).
  func integer(bound: UInt64) -> UInt64 {
    switch kind {
    case .integer: return min(bits, bound)
    case .real:
      let x = Double(bitPattern: bits).magnitude
      guard x.isFinite else { return 0 }
      return x >= Double(bound) ? bound : UInt64(x)
    }
  }

  /// The choice read as a real in `lower...upper`.
  func real(lower: Double, upper: Double) -> Double {
    let x: Double
    switch kind {
    case .integer: x = Double(bits)
    case .real: x = Double(bitPattern: bits)
    }
    guard x.isFinite else { return Self.simplest(lower: lower, upper: upper) }
    return min(max(x, lower), upper)
  }

  /// The simplest value in a range: 0 when it holds 0, else the bound nearer 0.
  static func simplest(lower: Double, upper: Double) -> Double {
    if lower <= 0 && 0 <= upper { return 0 }
    return lower > 0 ? lower : upper
  }

  /// How simple the choice is, compared lexicographically (lower is simpler).
  var complexity: [Double] {
    switch kind {
    case .integer: return [Double(bits)]
    case .real:
      let x = Double(bitPattern: bits)
      return [Double(Self.rank(x)), x.magnitude]
    }
  }

  /// The simplicity class of a real: 0, ±1, ±½, ±2 first, then whole numbers,
  /// powers of ten, one significant digit, two, anything else.
  static func rank(_ x: Double) -> Int {
    if let index = [0, 1, -1, 0.5, -0.5, 2, -2].firstIndex(of: x) { return index }
    guard x.isFinite else { return 30 }
    if x == x.rounded(), x.magnitude < 1e6 { return 10 }
    let exponent = x.magnitude.log10Floor
    if x.magnitude == exponent.powerOfTen { return 11 }
    for digits in 1...2 {
      let unit = (exponent - digits + 1).powerOfTen
      if (x / unit).rounded() * unit == x { return 11 + digits }
    }
    return 20
  }

  /// Simpler reals than `x` inside `lower...upper`, simplest first.
  static func simplerReals(than x: Double, lower: Double, upper: Double) -> [Double] {
    var candidates: [Double] = [0, 1, -1, 0.5, -0.5, 2, -2, lower, upper, x.rounded()]
    if x.isFinite && x != 0 {
      let exponent = x.magnitude.log10Floor
      for e in (exponent - 1)...(exponent + 1) { candidates.append(x.sign == .minus ? -e.powerOfTen : e.powerOfTen) }
      for digits in 1...2 {
        let unit = (exponent - digits + 1).powerOfTen
        candidates.append((x / unit).rounded() * unit)
      }
      candidates.append(x / 2)
    }
    let current = (rank(x), x.magnitude)
    var result: [Double] = []
    for c in candidates where c.isFinite && lower <= c && c <= upper && !result.contains(c) {
      if (rank(c), c.magnitude) < current { result.append(c) }
    }
    return result.sorted { (rank($0), $0.magnitude) < (rank($1), $1.magnitude) }
  }
}

extension Double {
  /// ⌊log₁₀ |x|⌋ for finite non-zero x.
  fileprivate var log10Floor: Int {
    var e = 0
    var m = self.magnitude
    guard m.isFinite && m > 0 else { return 0 }
    while m >= 10 { m /= 10; e += 1 }
    while m < 1 { m *= 10; e -= 1 }
    return e
  }
}

extension Int {
  /// 10 raised to this power, as a `Double` (correctly rounded for |e| ≤ 22).
  fileprivate var powerOfTen: Double {
    var result = 1.0
    for _ in 0..<Swift.min(self.magnitude, 330) { result *= 10 }
    return self < 0 ? 1 / result : result
  }
}
