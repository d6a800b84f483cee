/// A property every well-behaved optimiser rule has, checked by
/// ``OptimiserLaws/check(_:parameters:laws:configuration:encode:decode:)``.
///
/// - Complexity: O(1).
/// - References: Claessen and Hughes, *QuickCheck: A Lightweight Tool for Random
///   Testing of Haskell Programs*, ICFP 2000 (laws as properties).
public enum Law: String, CaseIterable, Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The pure update leaves its inputs (parameters, state, gradient) bitwise
  /// unchanged, and the same inputs give bitwise the same outputs.
  case purity
  /// The pure and the in-place update give bitwise the same parameters and
  /// state, step after step.
  case pureEqualsInPlace
  /// Encoding the state, decoding it and continuing gives bitwise the run that
  /// was never interrupted, whatever step it is saved at; and the decoded state
  /// equals the encoded one.
  case resumeExactness
  /// A zero gradient on a fresh state leaves the parameters bitwise unchanged
  /// (rules that move without a gradient, like decoupled weight decay, opt out).
  case zeroGradientFixedPoint
  /// Each leaf updates exactly as if it were alone: changing the other leaves'
  /// values and gradients changes nothing in it (rules coupled through a
  /// global norm opt out).
  case leafIndependence
  /// Finite parameters and gradients give finite parameters and state.
  case finiteOutputs

  /// Every law.
  ///
  /// - Complexity: O(1).
  public static var all: Set<Law> { Set(allCases) }

  /// Orders laws as they are declared.
  ///
  /// - Complexity: O(1).
  public static func < (lhs: Law, rhs: Law) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }

  /// The law's name.
  ///
  /// - Complexity: O(1).
  public var description: String { rawValue }
}
