/// A schedule whose value also moves with a monitored metric (a validation
/// loss, say), not only with the step: ``ReduceOnPlateau``, and every schedule
/// built around one.
///
/// ``advance(with:)`` feeds one metric to every metric-driven part, however
/// deep: through an ``AnySchedule`` decoded from a configuration file, and
/// through the combinators (``Product``, ``Sum``, ``Joined``, ``Chained``,
/// ``Followed``, ``Warmup``, ``Scaled``, ``Shifted``, ``Clamped``, ``Looped``),
/// whose parts it reaches whatever their types. A part that does not depend on
/// metrics is left as it is, so advancing a schedule with no plateau inside
/// changes nothing. ``Scheduled/advance(with:)`` advances every schedule of
/// an optimiser at once:
///
/// ```swift
/// let schedule = try JSONDecoder().decode(AnySchedule.self, from: configuration)
/// var optimiser = Scheduled(adam, \.learningRate, by: schedule)
/// // after each validation pass:
/// optimiser.advance(with: validationLoss)
/// ```
///
/// The plateau's state (best metric, bad count, cooldown, value) is part of
/// the schedule's `Codable` form: save the schedule's JSON with the optimiser's
/// checkpoint to resume it.
///
/// - Complexity: ``advance(with:)`` is O(number of parts).
/// - References: PyTorch `ReduceLROnPlateau` inside `SequentialLR` or
///   `ChainedScheduler`.
public protocol MetricDriven {
  /// Feeds one metric to every metric-driven part.
  ///
  /// - Parameter metric: The monitored quantity after this epoch or evaluation.
  mutating func advance(with metric: Double)
}

extension ReduceOnPlateau: MetricDriven {}

extension Schedule {
  /// Advances this schedule with `metric` when it is ``MetricDriven``;
  /// otherwise leaves it as it is.
  @inlinable mutating func advanceIfMetricDriven(with metric: Double) {
    guard var driven = self as? any MetricDriven else { return }
    driven.advance(with: metric)
    if let advanced = driven as? Self { self = advanced }
  }
}
