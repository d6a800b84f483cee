/// The error ``SkipNonFinite`` reports when it gives up on non-finite steps, or
/// when its step could not run at all (its counters would overflow, or the
/// inner optimiser's state or hyperparameters are invalid at this step — a
/// schedule that left its range, say). State and parameters are then as before
/// the call, so the caller can save them.
///
/// - Complexity: ``description`` is O(1).
/// - References: optax `apply_if_finite`, 2021.
public struct NonFiniteError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The number of consecutive non-finite steps, including the one given up on.
  public var consecutive: Int
  /// The number of non-finite steps since the state was created, including this
  /// one.
  public var total: Int
  /// The policy in force.
  public var policy: NonFinitePolicy
  /// Why the step was refused; default ``Reason/gaveUp``.
  public var reason: Reason = .gaveUp

  /// Why ``SkipNonFinite`` refused a step.
  ///
  /// - Complexity: O(1).
  public enum Reason: Equatable, Sendable {
    /// The policy gave up on non-finite steps.
    case gaveUp
    /// The non-finite counters cannot count another step without overflowing.
    case counterOverflow
    /// The inner optimiser cannot take this step: its hyperparameters or its
    /// state are invalid (``OptimiserError`` says which).
    case invalid(OptimiserError)
  }

  /// Creates the error.
  ///
  /// - Parameters:
  ///   - consecutive: Consecutive non-finite steps, this one included.
  ///   - total: All non-finite steps, this one included.
  ///   - policy: The policy in force.
  /// - Complexity: O(1).
  @inlinable public init(consecutive: Int, total: Int, policy: NonFinitePolicy) {
    self.consecutive = consecutive
    self.total = total
    self.policy = policy
  }

  /// A sentence with the counts and the policy.
  ///
  /// - Complexity: O(1).
  public var description: String {
    switch reason {
    case .gaveUp:
      return "SkipNonFinite (policy .\(policy.rawValue)) gave up: \(consecutive) consecutive non-finite step(s), "
        + "\(total) in total; state and parameters are as before this step: save them, then lower the learning "
        + "rate, clip the gradients or raise maxConsecutive"
    case .counterOverflow:
      return "SkipNonFinite cannot count another non-finite step (\(total) in total): the state's counters are "
        + "impossible; the state was damaged or edited"
    case .invalid(let error):
      return "SkipNonFinite refused the step: \(error.description); state and parameters are as before this step"
    }
  }
}
