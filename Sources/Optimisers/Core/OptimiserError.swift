/// What went wrong when an optimiser was configured or handed a state.
///
/// Every case carries enough to say what differs: the rule, the hyperparameter
/// and its value, the leaf and both shapes.
///
/// - Complexity: ``description`` is O(1).
/// - References: Swift Evolution SE-0413, *Typed throws*, 2023.
public enum OptimiserError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A hyperparameter is out of its range.
  case invalidHyperparameter(rule: String, name: String, value: Double, requirement: String)
  /// A state buffer's leaf has another shape than the parameter leaf.
  case shapeMismatch(buffer: String, leaf: String, expected: [Int], found: [Int])
  /// A state buffer has another number of leaves than the parameters.
  case leafCountMismatch(buffer: String, expected: Int, found: Int)
  /// The state was written by another rule.
  case ruleMismatch(expected: String, found: String)
  /// A state value is impossible (a negative step count, say).
  case invalidState(String)

  /// A sentence saying what is wrong and what to do about it.
  ///
  /// - Complexity: O(1).
  public var description: String {
    switch self {
    case let .invalidHyperparameter(rule, name, value, requirement):
      let remedy = rule.hasPrefix("Scheduled(")
        ? "change the schedule so that \(name) stays \(requirement)"
        : "pass a value of \(name) that is \(requirement)"
      return "\(rule): \(name) must be \(requirement), got \(value); \(remedy)"
    case let .shapeMismatch(buffer, leaf, expected, found):
      return "state buffer '\(buffer)' leaf '\(leaf)' has shape \(found), but the parameter has shape \(expected); "
        + "the state belongs to other parameters: use it with those, or start from initialState(for:)"
    case let .leafCountMismatch(buffer, expected, found):
      return "state buffer '\(buffer)' has \(found) leaves, but the parameters have \(expected); "
        + "the state belongs to other parameters: use it with those, or start from initialState(for:)"
    case let .ruleMismatch(expected, found):
      return "the state was written by \(found), not by \(expected); load it with a \(found) optimiser"
    case let .invalidState(message):
      return "invalid optimiser state: \(message)"
    }
  }
}

