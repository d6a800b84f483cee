/// The leaf selections that a ``Partition`` or a ``Masked`` transform keeps in
/// its state (`selectedLeaves`, `restLeaves`, `mask`), compared between a saved
/// state and the state this optimiser would start with for the same
/// parameters.
///
/// Format version 2 records every selection in the checkpoint's description;
/// versions 0 and 1 did not, so for them restore compares the selections the
/// saved state itself carries, which catches a changed partition or mask just
/// the same.
///
/// - Complexity: O(*n*): the optimiser's initial state is built and encoded
///   once, and walked next to the saved one.
enum RecordedSelections {
  static let keys: Set<String> = ["selectedLeaves", "restLeaves", "mask"]

  /// The first selection that differs between `fresh` (this optimiser's) and
  /// `saved`, as an error naming its path in the state.
  static func difference(fresh: StateTree, saved: StateTree, path: String) -> CheckpointError? {
    switch (fresh, saved) {
    case let (.object(mine), .object(theirs)):
      for member in mine {
        guard let other = theirs.last(where: { $0.key == member.key })?.value else { continue }
        let here = path.isEmpty ? member.key : path + "." + member.key
        if keys.contains(member.key) {
          if member.value != other {
            return .selectionMismatch(path: here, expected: "\(member.value)", found: "\(other)")
          }
        } else if let found = difference(fresh: member.value, saved: other, path: here) {
          return found
        }
      }
      return nil
    case let (.array(mine), .array(theirs)):
      for (index, pair) in zip(mine, theirs).enumerated() {
        if let found = difference(fresh: pair.0, saved: pair.1, path: path + ".\(index)") { return found }
      }
      return nil
    default:
      return nil
    }
  }
}
