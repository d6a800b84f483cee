/// A cyclical schedule that moves between a base and a maximum value in
/// triangles.
///
/// With cycle length T = up + down, k = ⌊1 + t/T⌋ the 1-based cycle, x = 1 + t/T − k
/// the position in it and r = up / T:
///
///     h = x / r                   if x ≤ r  (rising)
///     h = (x − 1) / (r − 1)       otherwise (falling)
///     s(t) = η_base + (η_max − η_base) · h · scale
///
/// where scale is 1 (`triangular`), 1 / 2^(k − 1) (`triangular2`, halving each
/// cycle) or γᵗ (`exponentialRange`). Matches `torch.optim.lr_scheduler.CyclicLR(
/// optimizer, base_lr, max_lr, step_size_up, step_size_down, mode, gamma)` with
/// our step equal to torch's `last_epoch`.
/// - References: Smith, *Cyclical Learning Rates for Training Neural Networks*,
///   WACV 2017.
public struct Cyclic: Schedule, Equatable {
  /// How the amplitude changes from cycle to cycle.
  public enum Mode: Codable, Sendable, Equatable {
    /// Constant amplitude.
    case triangular
    /// The amplitude halves every cycle.
    case triangular2
    /// The amplitude is multiplied by γ every step.
    case exponentialRange(gamma: Double)
  }

  /// The lower value η_base, reached at the start of every cycle.
  public var base: Double
  /// The upper value η_max of the first cycle.
  public var maximum: Double
  /// Steps from the base to the maximum, > 0.
  public var stepSizeUp: Int
  /// Steps from the maximum back to the base, > 0.
  public var stepSizeDown: Int
  /// The amplitude policy.
  public var mode: Mode

  /// Creates a cyclical schedule.
  ///
  /// - Parameters:
  ///   - base: η_base.
  ///   - maximum: η_max.
  ///   - stepSizeUp: Rising steps; > 0.
  ///   - stepSizeDown: Falling steps; default `stepSizeUp`.
  ///   - mode: `.triangular` (default), `.triangular2` or `.exponentialRange(gamma:)`.
  /// - Precondition: Both step sizes > 0.
  @inlinable public init(
    base: Double, maximum: Double, stepSizeUp: Int, stepSizeDown: Int? = nil, mode: Mode = .triangular
  ) {
    precondition(stepSizeUp > 0, "Cyclic: stepSizeUp must be > 0, got \(stepSizeUp)")
    precondition((stepSizeDown ?? stepSizeUp) > 0, "Cyclic: stepSizeDown must be > 0, got \(stepSizeDown ?? 0)")
    precondition(base.isFinite && maximum.isFinite, "Cyclic: base and maximum must be finite, got \(base) and \(maximum)")
    if case .exponentialRange(let gamma) = mode {
      precondition(gamma > 0 && gamma <= 1,
                   "Cyclic: exponentialRange's gamma must be in (0, 1] (above 1 the amplitude grows without bound), got \(gamma)")
    }
    (self.base, self.maximum, self.stepSizeUp) = (base, maximum, stepSizeUp)
    self.stepSizeDown = stepSizeDown ?? stepSizeUp
    self.mode = mode
  }

  /// η_base + (η_max − η_base) · h · scale.
  ///
  /// - Parameter step: t ≥ 0.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    let total = Double(stepSizeUp) + Double(stepSizeDown)
    let ratio = Double(stepSizeUp) / total
    let t = Double(step)
    let cycle = (1 + t / total).rounded(.down)
    let x = 1.0 + t / total - cycle
    let height = x <= ratio ? x / ratio : (x - 1) / (ratio - 1)
    let scale: Double
    switch mode {
    case .triangular: scale = 1
    case .triangular2: scale = 1 / power(2, cycle - 1)
    case .exponentialRange(let gamma): scale = power(gamma, t)
    }
    // A vanishing amplitude times a vanishing height is 0, never NaN.
    let amplitude = scale == 0 || height == 0 ? 0 : (maximum - base) * height * scale
    return base + amplitude
  }

  /// The start (the base value) and the first peak (the largest amplitude).
  public var checkedSteps: [Int] { [0, stepSizeUp] }
}
