/// How hard ``OptimiserLaws/check(_:parameters:laws:configuration:encode:decode:)``
/// looks for a violation.
///
/// - Complexity: The check costs O(`trials` × `maximumSteps`² × *n*) plus the
///   shrinking of any failure, at most `maximumShrinkAttempts` re-runs per law.
/// - References: Claessen and Hughes, *QuickCheck*, ICFP 2000 (trials and
///   shrinking budgets).
public struct LawConfiguration: Sendable, Hashable {
  /// The seed of the `SplitMix64` generator that draws shapes and values;
  /// the same seed checks the same cases.
  public var seed: UInt64
  /// The number of random cases per law; default 16.
  public var trials: Int
  /// The largest number of update steps in a case (at least 1); default 4.
  public var maximumSteps: Int
  /// The largest number of re-runs spent shrinking one counterexample;
  /// default 2000.
  public var maximumShrinkAttempts: Int
  /// The standard deviation of the drawn gradients; default 1.
  public var gradientScale: Double

  /// Creates a configuration.
  ///
  /// - Parameters:
  ///   - seed: The generator's seed; default `0x1A35_C0DE`.
  ///   - trials: Cases per law; default 16.
  ///   - maximumSteps: Steps per case; default 4.
  ///   - maximumShrinkAttempts: Shrinking budget per law; default 2000.
  ///   - gradientScale: Gradient standard deviation; default 1.
  /// - Complexity: O(1).
  public init(
    seed: UInt64 = 0x1A35_C0DE, trials: Int = 16, maximumSteps: Int = 4,
    maximumShrinkAttempts: Int = 2000, gradientScale: Double = 1
  ) {
    self.seed = seed
    self.trials = max(1, trials)
    self.maximumSteps = max(1, maximumSteps)
    self.maximumShrinkAttempts = max(0, maximumShrinkAttempts)
    self.gradientScale = gradientScale
  }
}
