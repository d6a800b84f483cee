/// What ``ScheduleLaws/check(_:steps:bounds:monotonicity:configuration:)`` (or
/// a combinator's law) found: one ``PropertyReport`` per law, each failure
/// shrunk to the smallest step that shows it.
///
/// - Complexity: O(laws) to print.
public struct ScheduleLawReport: Sendable, CustomStringConvertible {
  /// The schedule's description.
  public var schedule: String
  /// Each law's name and report, in the order checked.
  public var laws: [(name: String, report: PropertyReport<Int>)]

  /// Whether every law held.
  ///
  /// - Complexity: O(laws).
  public var passed: Bool { laws.allSatisfy(\.report.passed) }

  /// The names of the laws that failed.
  ///
  /// - Complexity: O(laws).
  public var failed: [String] { laws.filter { !$0.report.passed }.map(\.name) }

  /// A summary line, then each failure.
  ///
  /// - Complexity: O(laws).
  public var description: String {
    var text = "\(schedule): \(laws.count) laws, " + (passed ? "all hold" : "\(failed.count) fail: \(failed.joined(separator: ", "))")
    for (name, report) in laws where !report.passed { text += "\n[\(name)] \(report)" }
    return text
  }
}
