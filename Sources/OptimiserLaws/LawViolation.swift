/// One law a rule breaks, with the shrunk case that shows it.
///
/// - Complexity: O(*n*) to print.
/// - References: Claessen and Hughes, *QuickCheck*, ICFP 2000.
public struct LawViolation: Sendable, Hashable, CustomStringConvertible {
  /// The law broken.
  public var law: Law
  /// What went wrong on the shrunk case (which leaf, which step, which value).
  public var message: String
  /// The smallest, simplest case found that still fails.
  public var counterexample: Counterexample
  /// The case as first drawn, before shrinking.
  public var original: Counterexample
  /// The trial (0-based) that found it.
  public var trial: Int
  /// How many shrinking steps were accepted.
  public var shrinkSteps: Int

  /// The law, the message and the counterexample.
  ///
  /// - Complexity: O(*n*).
  public var description: String {
    "\(law) violated (trial \(trial), shrunk in \(shrinkSteps) steps from \(original.scalarCount) to \(counterexample.scalarCount) scalars): \(message)\n\(counterexample)"
  }
}
