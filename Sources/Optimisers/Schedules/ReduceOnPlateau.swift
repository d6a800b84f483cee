/// A metric-driven factor that drops when a monitored metric stops improving —
/// a pure value that you advance by feeding it metrics.
///
/// The value starts at `initial` (1 by default, a factor to multiply any
/// schedule by). After each metric m (your validation loss, say), with the
/// best metric so far m* (none at first):
///
///     improved  ⇔  m < m*·(1 − θ)   (min, relative)     m < m* − θ   (min, absolute)
///                  m > m*·(1 + θ)   (max, relative)     m > m* + θ   (max, absolute)
///     improved:  m* ← m, bad ← 0;   otherwise bad ← bad + 1
///     in cooldown: cooldown ← cooldown − 1, bad ← 0
///     bad > patience:  v′ = max(v · factor, minimum);  v ← v′ if v − v′ > ε;
///                      cooldown ← cooldownSteps, bad ← 0
///
/// This is `torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode, factor,
/// patience, threshold, threshold_mode, cooldown, min_lr, eps)` step for step;
/// with `initial` = lr its ``value`` is torch's learning rate after the same
/// metrics. Unlike torch's, it is a value: ``advanced(with:)`` is the pure
/// `(state, metric) -> state`, it is `Codable`, and as a ``Schedule`` (its value at
/// every step) it composes with any time-based schedule:
///
/// ```swift
/// var optimiser = Scheduled(adam, \.learningRate,
///                           by: WarmupCosine(peak: 1e-3, warmupSteps: 500, decaySteps: 20_000)
///                             * ReduceOnPlateau(factor: 0.5, patience: 3))
/// // after each validation pass:
/// optimiser.schedule.second.advance(with: validationLoss)
/// ```
///
/// - Complexity: ``advance(with:)`` and evaluation are O(1).
/// - References: PyTorch `ReduceLROnPlateau`; Keras `ReduceLROnPlateau`.
public struct ReduceOnPlateau: Schedule, Equatable {
  /// Whether lower or higher metrics are better.
  public enum Mode: String, Codable, Sendable {
    /// Lower is better (a loss).
    case minimise
    /// Higher is better (an accuracy).
    case maximise
  }

  /// How `threshold` measures a significant improvement.
  public enum ThresholdMode: String, Codable, Sendable {
    /// Improvement by a fraction θ of the best metric.
    case relative
    /// Improvement by θ in the metric's units.
    case absolute
  }

  // Configuration.
  /// Whether lower or higher metrics are better.
  public var mode: Mode
  /// The multiplier applied at each reduction, in [0, 1).
  public var factor: Double
  /// The number of metrics without improvement tolerated before a reduction.
  public var patience: Int
  /// The improvement θ that counts as significant.
  public var threshold: Double
  /// Whether θ is relative or absolute.
  public var thresholdMode: ThresholdMode
  /// The number of metrics after a reduction during which bad metrics are ignored.
  public var cooldown: Int
  /// The smallest value a reduction can reach.
  public var minimum: Double
  /// Reductions smaller than ε are skipped.
  public var epsilon: Double

  // State.
  /// The current value v (the factor, or the rate when `initial` is a rate).
  public var value: Double
  /// The best metric seen so far; `nil` before the first metric.
  public var best: Double?
  /// The number of metrics since the last improvement (torch's `num_bad_epochs`).
  public var badMetrics: Int
  /// The metrics left in the current cooldown.
  public var cooldownRemaining: Int

  /// Creates a plateau detector at its initial value with no metric seen.
  ///
  /// - Parameters:
  ///   - initial: The starting value; default 1 (a factor).
  ///   - mode: `.minimise` (default) or `.maximise`.
  ///   - factor: The reduction multiplier in [0, 1); default 0.1.
  ///   - patience: Bad metrics tolerated; default 10.
  ///   - threshold: θ ≥ 0; default 1e-4.
  ///   - thresholdMode: `.relative` (default) or `.absolute`.
  ///   - cooldown: Metrics ignored after a reduction; default 0.
  ///   - minimum: The floor; default 0.
  ///   - epsilon: The smallest reduction applied; default 1e-8.
  /// - Precondition: 0 ≤ factor < 1, patience ≥ 0, cooldown ≥ 0, threshold ≥ 0.
  @inlinable public init(
    initial: Double = 1, mode: Mode = .minimise, factor: Double = 0.1, patience: Int = 10,
    threshold: Double = 1e-4, thresholdMode: ThresholdMode = .relative, cooldown: Int = 0,
    minimum: Double = 0, epsilon: Double = 1e-8
  ) {
    precondition(factor >= 0 && factor < 1, "ReduceOnPlateau: factor must be in [0, 1), got \(factor)")
    precondition(patience >= 0, "ReduceOnPlateau: patience must be ≥ 0, got \(patience)")
    precondition(cooldown >= 0, "ReduceOnPlateau: cooldown must be ≥ 0, got \(cooldown)")
    precondition(threshold >= 0, "ReduceOnPlateau: threshold must be ≥ 0, got \(threshold)")
    (self.mode, self.factor, self.patience, self.threshold) = (mode, factor, patience, threshold)
    (self.thresholdMode, self.cooldown, self.minimum, self.epsilon) = (thresholdMode, cooldown, minimum, epsilon)
    (self.value, self.best, self.badMetrics, self.cooldownRemaining) = (initial, nil, 0, 0)
  }

  /// Whether `metric` improves significantly on `best` (always, for a finite
  /// metric, before the first one).
  ///
  /// - Parameter metric: The new metric.
  @inlinable public func isImprovement(_ metric: Double) -> Bool {
    let reference = best ?? (mode == .minimise ? Double.infinity : -Double.infinity)
    switch (mode, thresholdMode) {
    case (.minimise, .relative): return metric < reference * (1 - threshold)
    case (.minimise, .absolute): return metric < reference - threshold
    case (.maximise, .relative): return metric > reference * (threshold + 1)
    case (.maximise, .absolute): return metric > reference + threshold
    }
  }

  /// Feeds one metric, reducing the value after more than `patience` bad ones.
  ///
  /// - Parameter metric: The monitored quantity after this epoch or evaluation.
  @inlinable public mutating func advance(with metric: Double) {
    if isImprovement(metric) {
      best = metric
      badMetrics = 0
    } else {
      badMetrics += 1
    }
    if cooldownRemaining > 0 {
      cooldownRemaining -= 1
      badMetrics = 0
    }
    if badMetrics > patience {
      let reduced = max(value * factor, minimum)
      if value - reduced > epsilon { value = reduced }
      cooldownRemaining = cooldown
      badMetrics = 0
    }
  }

  /// The state after one more metric: the pure `(state, metric) -> state`.
  ///
  /// - Parameter metric: The monitored quantity.
  /// - Returns: A copy advanced by `metric`.
  @inlinable public func advanced(with metric: Double) -> ReduceOnPlateau {
    var copy = self
    copy.advance(with: metric)
    return copy
  }

  /// The current value v, whatever the step.
  ///
  /// - Parameter step: Ignored: the value changes only with metrics.
  @inlinable public func callAsFunction(_ step: Int) -> Double { value }
}
