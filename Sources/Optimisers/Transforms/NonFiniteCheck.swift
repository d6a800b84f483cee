/// What ``SkipNonFinite`` inspects to decide whether a step is finite.
///
/// - Complexity: O(1).
/// - References: optax `apply_if_finite` (inspects the incoming gradient), 2021;
///   PyTorch AMP `GradScaler` (inspects the gradients), 2020.
public enum NonFiniteCheck: String, Codable, Sendable, CaseIterable {
  /// The gradient as the inner rule would see it (after every earlier chain
  /// member's map): one extra read-only pass, no copy. A finite gradient can
  /// still overflow inside the rule; use ``parameters`` to catch that too.
  case gradient
  /// The parameters after a trial step: the inner rule updates copies of the
  /// state and parameters, which are kept only if every parameter is finite.
  /// Costs one copy of the parameters and the state per step.
  case parameters
  /// As ``parameters``, and the trial step's state must be finite too: a
  /// finite but huge gradient that overflows a second moment to +∞ (which would
  /// freeze its weight for good) is skipped and rolled back like a NaN. Costs
  /// one copy of the parameters and the state, and one encoding of the state
  /// (O(*n*) with an allocation), per step.
  case parametersAndState
}
