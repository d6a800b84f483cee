extension Scheduled where S: MetricDriven {
  /// Feeds one metric to every schedule (see ``MetricDriven``): the way to
  /// step a ``ReduceOnPlateau`` held anywhere inside, an ``AnySchedule``
  /// decoded from data included.
  ///
  /// - Parameter metric: The monitored quantity after this epoch or evaluation.
  /// - Complexity: O(schedules' parts).
  public mutating func advance(with metric: Double) {
    for index in schedules.indices { schedules[index].advance(with: metric) }
  }
}
