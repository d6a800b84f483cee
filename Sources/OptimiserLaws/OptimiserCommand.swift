/// One step of a stateful sequence checked by
/// `StatefulLaws/check(_:parameters:scheduling:adjusting:commands:configuration:)`.
///
/// - Complexity: O(1).
public enum OptimiserCommand: Sendable, Hashable, CustomStringConvertible {
  /// An update with these gradient values (cycled over every scalar).
  case update([Double])
  /// Saves a binary `Optimisers/Checkpoint` of state and parameters, decodes
  /// it, and continues from the decoded copy.
  case checkpoint
  /// Remembers the optimiser and its checkpoint bytes, for a later ``restore``.
  case save
  /// Goes back to the last ``save`` (or the start): the optimiser as it was
  /// then (schedule, hyperparameters), its state and the parameters.
  case restore
  /// Sets the adjustable hyperparameter to this value.
  case adjust(Double)
  /// Replaces the schedule of the scheduled hyperparameter.
  case changeSchedule(GeneratedSchedule)
  /// An update whose gradient holds a NaN at this scalar (cycled): skipped.
  case skip(Int)

  /// The command as text.
  ///
  /// - Complexity: O(size).
  public var description: String {
    switch self {
    case .update(let values): return "update \(values)"
    case .checkpoint: return "checkpoint"
    case .save: return "save"
    case .restore: return "restore"
    case .adjust(let value): return "adjust \(value)"
    case .changeSchedule(let schedule): return "schedule \(schedule)"
    case .skip(let index): return "skip (NaN at \(index))"
    }
  }
}
