import COptimisers

/// SGDR: cosine annealing from η to a minimum, restarted at η after each period,
/// each period `periodMultiplier` times longer than the last.
///
/// With Tᵢ the current period (T₀, T₀·m, T₀·m², …) and T_cur the steps since the
/// last restart:
///
///     s(t) = η_min + (η − η_min) · (1 + cos(π · T_cur / Tᵢ)) / 2
///
/// Matches `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0,
/// T_mult, eta_min)` with our step t equal to torch's `last_epoch`.
///
/// - Complexity: O(1) with multiplier 1, otherwise O(log t) to find the period.
/// - References: Loshchilov and Hutter, *SGDR: Stochastic Gradient Descent with
///   Warm Restarts*, ICLR 2017.
public struct CosineAnnealingWarmRestarts: Schedule, Equatable {
  /// The value at each restart, η.
  public var initial: Double
  /// The first period T₀ in steps, > 0.
  public var period: Int
  /// The factor m ≥ 1 by which each period is longer than the previous one.
  public var periodMultiplier: Int
  /// The value approached at the end of each period, η_min.
  public var minimum: Double

  /// Creates an SGDR schedule.
  ///
  /// - Parameters:
  ///   - initial: η.
  ///   - period: T₀; > 0.
  ///   - periodMultiplier: m ≥ 1; default 1 (equal periods).
  ///   - minimum: η_min; default 0.
  /// - Precondition: `period` > 0 and `periodMultiplier` ≥ 1.
  @inlinable public init(initial: Double, period: Int, periodMultiplier: Int = 1, minimum: Double = 0) {
    precondition(period > 0, "CosineAnnealingWarmRestarts: period must be > 0, got \(period)")
    precondition(periodMultiplier >= 1,
                 "CosineAnnealingWarmRestarts: periodMultiplier must be ≥ 1, got \(periodMultiplier)")
    precondition(initial.isFinite && minimum.isFinite,
                 "CosineAnnealingWarmRestarts: initial and minimum must be finite, got \(initial) and \(minimum)")
    (self.initial, self.period, self.periodMultiplier, self.minimum) = (initial, period, periodMultiplier, minimum)
  }

  /// η_min + (η − η_min)(1 + cos(π T_cur / Tᵢ)) / 2.
  ///
  /// - Parameter step: t (negative steps give η).
  /// - Complexity: O(log t).
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    var current = max(step, 0)
    var length = period
    if periodMultiplier == 1 {
      current %= period
    } else {
      while current >= length {
        current -= length
        let (next, overflow) = length.multipliedReportingOverflow(by: periodMultiplier)
        if overflow { break }  // the next period is longer than any step
        length = next
      }
    }
    return minimum + (initial - minimum) * (1 + optimisers_cos(Double.pi * Double(current) / Double(length))) / 2
  }

  /// The start and the end of the first period.
  public var checkedSteps: [Int] { [0, period - 1] }
}
