// Each combinator forwards a metric to its parts; a part that is not
// metric-driven is left unchanged (see ``MetricDriven``).

extension Product: MetricDriven {
  /// Advances both factors that depend on metrics.
  @inlinable public mutating func advance(with metric: Double) { advanceBoth(&first, &second, with: metric) }
}

extension Sum: MetricDriven {
  /// Advances both terms that depend on metrics.
  @inlinable public mutating func advance(with metric: Double) { advanceBoth(&first, &second, with: metric) }
}

extension Followed: MetricDriven {
  /// Advances both pieces that depend on metrics, also the one not in force at
  /// the current step (a plateau keeps its own history of metrics).
  @inlinable public mutating func advance(with metric: Double) { advanceBoth(&first, &second, with: metric) }
}

extension Joined: MetricDriven {
  /// Advances every part that depends on metrics.
  @inlinable public mutating func advance(with metric: Double) {
    for index in parts.indices { parts[index].advanceIfMetricDriven(with: metric) }
  }
}

extension Chained: MetricDriven {
  /// Advances every factor that depends on metrics.
  @inlinable public mutating func advance(with metric: Double) {
    for index in factors.indices { factors[index].advanceIfMetricDriven(with: metric) }
  }
}

extension Warmup: MetricDriven {
  /// Advances the schedule after the warm-up when it depends on metrics.
  @inlinable public mutating func advance(with metric: Double) { base.advanceIfMetricDriven(with: metric) }
}

extension Scaled: MetricDriven {
  /// Advances the scaled schedule when it depends on metrics.
  @inlinable public mutating func advance(with metric: Double) { base.advanceIfMetricDriven(with: metric) }
}

extension Shifted: MetricDriven {
  /// Advances the shifted schedule when it depends on metrics.
  @inlinable public mutating func advance(with metric: Double) { base.advanceIfMetricDriven(with: metric) }
}

extension Clamped: MetricDriven {
  /// Advances the clamped schedule when it depends on metrics.
  @inlinable public mutating func advance(with metric: Double) { base.advanceIfMetricDriven(with: metric) }
}

extension Looped: MetricDriven {
  /// Advances the looped schedule when it depends on metrics.
  @inlinable public mutating func advance(with metric: Double) { base.advanceIfMetricDriven(with: metric) }
}

/// Advances `first` and `second` with `metric`, each when it is ``MetricDriven``.
@inlinable func advanceBoth<A: Schedule, B: Schedule>(_ first: inout A, _ second: inout B, with metric: Double) {
  first.advanceIfMetricDriven(with: metric)
  second.advanceIfMetricDriven(with: metric)
}
