extension AnySchedule: MetricDriven {
  /// Advances the wrapped schedule with `metric` when it is ``MetricDriven``
  /// (a ``ReduceOnPlateau``, or a combinator holding one); otherwise nothing
  /// changes. The ``kind`` is kept.
  ///
  /// - Parameter metric: The monitored quantity.
  /// - Complexity: The wrapped schedule's ``MetricDriven/advance(with:)``.
  public mutating func advance(with metric: Double) {
    guard var driven = base as? any MetricDriven else { return }
    driven.advance(with: metric)
    guard let schedule = driven as? any Schedule else { return }
    self = AnySchedule(schedule, kind: kind)
  }
}
