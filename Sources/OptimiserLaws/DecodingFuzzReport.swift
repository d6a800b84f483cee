/// What ``DecodingFuzzer/fuzz(_:state:parameters:cases:seed:)`` found: how many
/// mutated checkpoints were rejected with an error and how many still loaded
/// (mutations that leave a valid state, such as a changed buffer value), per
/// kind of mutation.
///
/// Reaching the end of a run is itself the main result: no mutation crashed the
/// process or allocated without bound.
///
/// - Complexity: O(kinds) to print.
/// - References: Miller, Fredriksen and So, *An Empirical Study of the
///   Reliability of UNIX Utilities*, CACM 1990 (fuzzing).
public struct DecodingFuzzReport: Sendable, Hashable, CustomStringConvertible {
  /// The counts for one kind of mutation.
  ///
  /// - Complexity: O(1).
  public struct Counts: Sendable, Hashable {
    /// Mutated inputs tried.
    public var cases = 0
    /// Inputs rejected with a `CheckpointError`.
    public var rejected = 0
    /// Inputs that loaded and validated; one update then ran on them.
    public var loaded = 0
  }

  /// Counts per kind of mutation (`truncate`, `flipBits`, `hugeCount`, …).
  public var byMutation: [String: Counts] = [:]
  /// Descriptions of loaded states that broke an invariant after loading (a
  /// non-finite step count, an update that changed the leaf shapes); empty
  /// when all is well.
  public var problems: [String] = []

  /// All cases.
  ///
  /// - Complexity: O(kinds).
  public var cases: Int { byMutation.values.reduce(0) { $0 + $1.cases } }
  /// All rejected cases.
  ///
  /// - Complexity: O(kinds).
  public var rejected: Int { byMutation.values.reduce(0) { $0 + $1.rejected } }
  /// All loaded cases.
  ///
  /// - Complexity: O(kinds).
  public var loaded: Int { byMutation.values.reduce(0) { $0 + $1.loaded } }

  /// Adds `other`'s counts and problems.
  ///
  /// - Complexity: O(kinds).
  public mutating func merge(_ other: DecodingFuzzReport) {
    for (kind, counts) in other.byMutation {
      byMutation[kind, default: Counts()].cases += counts.cases
      byMutation[kind, default: Counts()].rejected += counts.rejected
      byMutation[kind, default: Counts()].loaded += counts.loaded
    }
    problems += other.problems
  }

  /// One line per mutation kind, then any problems.
  ///
  /// - Complexity: O(kinds).
  public var description: String {
    var lines = ["\(cases) cases: \(rejected) rejected, \(loaded) loaded, \(problems.count) problems"]
    for kind in byMutation.keys.sorted() {
      let c = byMutation[kind]!
      lines.append("  \(kind): \(c.cases) cases, \(c.rejected) rejected, \(c.loaded) loaded")
    }
    lines += problems.prefix(10).map { "  problem: \($0)" }
    return lines.joined(separator: "\n")
  }
}
