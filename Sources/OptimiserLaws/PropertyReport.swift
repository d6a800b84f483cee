/// The outcome of `Property/forAll(_:configuration:_:)`: whether the property
/// held on every trial, and if not the shrunk counterexample, the message, and
/// the one line that reproduces it.
///
/// Printed, a failure reads:
///
///     Property 'steps stay finite' failed on trial 3 of 100; shrunk in 14 steps (188 attempts):
///       1 leaf/leaves, 1 scalar(s), 2 step(s) …
///     parameters moved on a zero gradient: 0.0 became -0.1
///     Reproduce with PropertyConfiguration(seed: 0x29E6D2F1B07A41C3)
///
/// - Complexity: O(size of the counterexample) to print.
public struct PropertyReport<Value>: CustomStringConvertible {
  /// The property's name, if given.
  public var name: String
  /// The configuration of the run.
  public var configuration: PropertyConfiguration
  /// The trials that ran (including the failing one).
  public var trialsRun: Int
  /// The cases a filter discarded.
  public var discarded: Int
  /// Whether the run stopped because a filter discarded too many cases.
  public var gaveUp: Bool
  /// The shrunk counterexample, if the property failed.
  public var counterexample: Value?
  /// The counterexample as first drawn.
  public var original: Value?
  /// What the property said about the shrunk counterexample.
  public var message: String?
  /// The failing trial's seed: `PropertyConfiguration(seed:)` with it makes the
  /// failing case the first trial.
  public var failingSeed: UInt64?
  /// Shrinking steps accepted and re-evaluations spent.
  public var shrinkSteps = 0, shrinkAttempts = 0

  /// Whether the property held on every trial (and the run did not give up).
  ///
  /// - Complexity: O(1).
  public var passed: Bool { counterexample == nil && !gaveUp }

  /// The line that reproduces the failure, or `nil` if it passed.
  ///
  /// - Complexity: O(1).
  public var reproduction: String? {
    failingSeed.map { "PropertyConfiguration(seed: 0x\(String($0, radix: 16, uppercase: true)))" }
  }

  /// A summary line; on failure, the counterexample, message and reproduction.
  ///
  /// - Complexity: O(size of the counterexample).
  public var description: String {
    let label = name.isEmpty ? "Property" : "Property '\(name)'"
    if let counterexample, let failingSeed {
      return """
        \(label) failed on trial \(trialsRun) of \(configuration.trials); shrunk in \(shrinkSteps) steps (\(shrinkAttempts) attempts):
        \(counterexample)
        \(message ?? "")
        Reproduce with \(reproduction ?? "\(failingSeed)")
        """
    }
    if gaveUp { return "\(label) gave up: the generator discarded \(discarded) cases after \(trialsRun) trials" }
    return "\(label) held on \(trialsRun) trials (\(discarded) discarded)"
  }
}

extension PropertyReport: Sendable where Value: Sendable {}
