/// What ``OptimiserLaws/check(_:parameters:laws:configuration:encode:decode:)``
/// found: the laws checked and every violation, each with a shrunk
/// counterexample.
///
/// - Complexity: O(violations) to print.
/// - References: Claessen and Hughes, *QuickCheck*, ICFP 2000.
public struct LawReport: Sendable, Hashable, CustomStringConvertible {
  /// The rule's type name.
  public var rule: String
  /// The laws checked on every trial.
  public var checked: [Law]
  /// The laws requested but not applicable (leaf independence needs two
  /// leaves).
  public var notApplicable: [Law]
  /// The number of random cases per law.
  public var trials: Int
  /// At most one violation per law, in law order.
  public var violations: [LawViolation]
  /// A problem with the generator itself (it built parameters of other shapes
  /// than requested), if any; no law was checked then.
  public var generatorProblem: String?

  /// Whether every law held and the generator worked.
  ///
  /// - Complexity: O(1).
  public var passed: Bool { violations.isEmpty && generatorProblem == nil }

  /// The violation of `law`, if any.
  ///
  /// - Parameter law: A law.
  /// - Complexity: O(laws).
  public func violation(of law: Law) -> LawViolation? { violations.first { $0.law == law } }

  /// A summary line, then each violation.
  ///
  /// - Complexity: O(violations).
  public var description: String {
    if let generatorProblem { return "\(rule): generator problem: \(generatorProblem)" }
    var text = "\(rule): \(checked.count) laws × \(trials) trials, "
    text += violations.isEmpty ? "no violations" : "\(violations.count) violation(s)"
    if !notApplicable.isEmpty { text += " (not applicable: \(notApplicable.map(\.rawValue).joined(separator: ", ")))" }
    for violation in violations { text += "\n" + violation.description }
    return text
  }
}
