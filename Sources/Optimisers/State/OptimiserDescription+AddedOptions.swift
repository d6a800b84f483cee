extension OptimiserDescription {
  /// The reflected description of `rule` without the options in `defaulted`:
  /// options added after checkpoints were first written (`epsilonRoot`,
  /// `dampening`, …) are recorded only when they differ from their default,
  /// so a checkpoint written before they existed still loads into a rule that
  /// leaves them at that default, and one written with another value is
  /// refused by name.
  ///
  /// - Parameters:
  ///   - rule: The rule to describe by reflection.
  ///   - defaulted: The labels of the added options that are at their
  ///     defaults (hyperparameters or components, such as an enum option).
  /// - Complexity: O(size of the structure).
  static func reflecting(_ rule: Any, leavingOut defaulted: [String]) -> OptimiserDescription {
    var result = OptimiserDescription(name: typeName(of: rule))
    collect(Mirror(reflecting: rule), prefix: "", into: &result, depth: 0, params: nil)
    result.hyperparameters.removeAll { defaulted.contains($0.name) }
    result.components.removeAll { defaulted.contains($0.label) }
    return result
  }
}
