/// How hard `Property/forAll(_:configuration:_:)` looks for a counterexample,
/// and from which seed. A failure report prints the configuration that
/// reproduces it, for example `PropertyConfiguration(seed: 0x9E3779B97F4A7C15)`.
///
/// - Complexity: A run costs `trials` evaluations of the property plus at most
///   `maximumShrinkAttempts` re-evaluations when one fails.
/// - References: Claessen and Hughes, *QuickCheck*, ICFP 2000.
public struct PropertyConfiguration: Sendable, Hashable {
  /// The seed of the first trial; later trials use seeds derived from it. A
  /// report's reproduction line gives the failing trial's own seed, so that
  /// trial runs first.
  public var seed: UInt64
  /// The number of random cases; default 100.
  public var trials: Int
  /// The largest number of re-evaluations spent shrinking; default 2000.
  public var maximumShrinkAttempts: Int
  /// The largest number of cases a ``Generator/filter(maximumRejections:_:)``
  /// may discard before the run gives up; default half of `trials`.
  public var maximumDiscarded: Int

  /// Creates a configuration.
  ///
  /// - Parameters:
  ///   - seed: The first trial's seed; default `0x5EED_0016`.
  ///   - trials: Random cases; default 100.
  ///   - maximumShrinkAttempts: Shrinking budget; default 2000.
  ///   - maximumDiscarded: Discarded cases allowed; default `trials / 2`.
  /// - Complexity: O(1).
  public init(seed: UInt64 = 0x5EED_0016, trials: Int = 100, maximumShrinkAttempts: Int = 2000, maximumDiscarded: Int? = nil) {
    self.seed = seed
    self.trials = max(1, trials)
    self.maximumShrinkAttempts = max(0, maximumShrinkAttempts)
    self.maximumDiscarded = max(0, maximumDiscarded ?? self.trials / 2)
  }
}
