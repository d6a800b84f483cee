extension Checkpoint {
  /// Whether restoring refuses NaN and ±∞ in a checkpoint's buffers and
  /// parameters.
  ///
  /// A run that saved a NaN has already lost its weights or its moments:
  /// resuming from it continues a broken run. Refusing is the default; accept
  /// on purpose to inspect such a state, or for a rule whose state holds ∞ by
  /// design.
  ///
  /// - Complexity: O(1).
  public enum NonFiniteValues: Sendable, Hashable {
    /// Throw ``CheckpointError/poisonedValue(buffer:leaf:index:value:requirement:)``
    /// at the first NaN or ±∞ (the default).
    case reject
    /// Load NaN and ±∞ as saved.
    case accept
  }
}
