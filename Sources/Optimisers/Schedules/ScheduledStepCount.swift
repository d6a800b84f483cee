/// The step count of a ``Scheduled`` state, read when one `Scheduled` wraps
/// another to check that both count the same step.
///
/// - Complexity: O(1).
protocol ScheduledStepCount {
  /// The number of updates the state has counted.
  var scheduledStep: Int { get }
}
