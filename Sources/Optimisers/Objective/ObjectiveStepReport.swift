/// What one objective-driven step did: iterations, objective evaluations,
/// the value reached and why it stopped.
///
/// - Complexity: O(1) to copy.
public struct ObjectiveStepReport: Codable, Sendable, Hashable {
  /// The iterations (parameter updates) the step made.
  public var iterations: Int
  /// The objective evaluations the step made, line searches included.
  public var evaluations: Int
  /// The objective value at the start of the step, as `torch.optim.LBFGS.step`
  /// returns it.
  public var initialValue: Double
  /// The last objective value the step computed at its final parameters, or
  /// `nil` if it did not evaluate there (a fixed-step iteration at the end of
  /// a step does not, nor does ``SharpnessAware``).
  public var finalValue: Double?
  /// Why the step stopped.
  public var stopReason: ObjectiveStopReason

  /// Creates a report.
  ///
  /// - Complexity: O(1).
  public init(
    iterations: Int, evaluations: Int, initialValue: Double, finalValue: Double?,
    stopReason: ObjectiveStopReason
  ) {
    self.iterations = iterations
    self.evaluations = evaluations
    self.initialValue = initialValue
    self.finalValue = finalValue
    self.stopReason = stopReason
  }
}
