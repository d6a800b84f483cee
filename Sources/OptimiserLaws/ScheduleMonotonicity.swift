/// The direction a schedule promises to move in, for
/// ``ScheduleLaws/check(_:steps:bounds:monotonicity:configuration:)``.
///
/// - Complexity: O(1).
public enum ScheduleMonotonicity: Sendable, Hashable {
  /// s(t + 1) ≤ s(t) for every step (decays).
  case nonIncreasing
  /// s(t + 1) ≥ s(t) for every step (warm-ups).
  case nonDecreasing
}
