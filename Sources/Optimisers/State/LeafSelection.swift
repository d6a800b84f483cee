/// How a ``LeafSelector`` is recorded in an ``OptimiserDescription``: by the
/// names of the leaves it selects, so that a checkpoint saved under one
/// selection (`Partition(Frozen(), for: \Net.weight, …)`) does not restore
/// under another (`for: \Net.bias`).
///
/// A selector is a closure, which cannot be compared; the leaves it selects for
/// the parameters being saved or restored can. The description's name is
/// `LeafSelector[layer1.weight, layer2.weight]` (`LeafSelector[]` for none).
/// A description built without parameters, and one read from a format
/// version 1 checkpoint, says only `LeafSelector`; such a record holds nothing
/// to compare here, so restoring a version 0 or 1 checkpoint compares the leaf
/// lists and masks its state carries instead (`RecordedSelections`).
///
/// - Complexity: O(leaves) predicate calls per selector.
/// - References: optax `multi_transform` labels (a partition recorded as data,
///   not as a function), 2021.
enum LeafSelection {
  static let prefix = "LeafSelector"

  /// The description name of `selector` for `params`, or the bare prefix
  /// without parameters.
  static func name(of selector: LeafSelector, for params: (any Differentiable)?) -> String {
    guard let params else { return prefix }
    return prefix + "[" + selectedNames(selector, params).joined(separator: ", ") + "]"
  }

  static func selectedNames<P: Differentiable>(_ selector: LeafSelector, _ params: P) -> [String] {
    (0..<params.parameterLeafCount).filter { selector.contains(leaf: $0, of: params) }
      .map { params.parameterLeafName(at: $0) }
  }

  static func isSelector(_ name: String) -> Bool {
    name == prefix || name.hasPrefix(prefix + "[")
  }

  /// The error for two description names of which at least one is a
  /// selector's, or `nil` when they agree (or one holds no selection).
  static func difference(expected: String, found: String, path: String) -> CheckpointError? {
    guard isSelector(expected), isSelector(found) else {
      return .ruleMismatch(path: path, expected: expected, found: found)
    }
    if expected == prefix || found == prefix || expected == found { return nil }
    return .selectionMismatch(
      path: path, expected: String(expected.dropFirst(prefix.count)), found: String(found.dropFirst(prefix.count)))
  }
}
