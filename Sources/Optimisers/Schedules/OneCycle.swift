import COptimisers

/// The one-cycle policy: warm up from η_max / div to η_max, then anneal to
/// η_max / (div · finalDiv), optionally with a symmetric third phase.
///
/// Phases (torch's convention, with T the total steps and f the warmup
/// fraction; a phase from step a to b with values u → v uses x = (t − a)/(b − a)):
///
///     two phases:   [0, fT − 1]: η₀ → η_max,  [fT − 1, T − 1]: η_max → η_min
///     three phases: [0, fT − 1]: η₀ → η_max,  [fT − 1, 2fT − 2]: η_max → η₀,
///                   [2fT − 2, T − 1]: η₀ → η_min
///     cosine: v + (u − v)/2 · (cos(πx) + 1)      linear: (v − u)·x + u
///
/// with η₀ = η_max / div and η_min = η₀ / finalDiv. Matches
/// `torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr, total_steps,
/// pct_start, anneal_strategy, div_factor=, final_div_factor=, three_phase=)`
/// with our step equal to torch's `last_epoch`. From step T − 1 on the value
/// stays at η_min (torch raises past T). optax's `cosine_onecycle_schedule` and
/// `linear_onecycle_schedule` put their knots at whole steps instead; they are
/// ``Interpolated`` schedules.
/// - References: Smith and Topin, *Super-Convergence: Very Fast Training of
///   Neural Networks Using Large Learning Rates*, 2018.
public struct OneCycle: Schedule, Equatable {
  /// How each phase moves between its end values.
  public enum Annealing: String, Codable, Sendable {
    /// Half a cosine wave.
    case cosine
    /// A straight line.
    case linear
  }

  /// The peak value η_max.
  public var peak: Double
  /// The cycle's length T in steps, > 1.
  public var totalSteps: Int
  /// The fraction f of the cycle spent rising, in (0, 1).
  public var warmupFraction: Double
  /// The shape of each phase.
  public var annealing: Annealing
  /// η_max / η₀, the ratio between the peak and the starting value.
  public var initialDivisor: Double
  /// η₀ / η_min, the ratio between the starting and the final value.
  public var finalDivisor: Double
  /// Whether to come back down to η₀ symmetrically before annealing to η_min.
  public var threePhase: Bool

  /// Creates a one-cycle schedule.
  ///
  /// - Parameters:
  ///   - peak: η_max.
  ///   - totalSteps: T > 1.
  ///   - warmupFraction: f ∈ (0, 1); default 0.3.
  ///   - annealing: `.cosine` (default) or `.linear`.
  ///   - initialDivisor: η_max / η₀; default 25.
  ///   - finalDivisor: η₀ / η_min; default 10⁴.
  ///   - threePhase: Add the symmetric descent to η₀; default `false`.
  /// - Precondition: T > 1, 0 < f < 1, and the phase ends are increasing.
  @inlinable public init(
    peak: Double, totalSteps: Int, warmupFraction: Double = 0.3, annealing: Annealing = .cosine,
    initialDivisor: Double = 25, finalDivisor: Double = 1e4, threePhase: Bool = false
  ) {
    precondition(totalSteps > 1, "OneCycle: totalSteps must be > 1, got \(totalSteps)")
    precondition(warmupFraction > 0 && warmupFraction < 1,
                 "OneCycle: warmupFraction must be in (0, 1), got \(warmupFraction)")
    precondition(warmupFraction * Double(totalSteps) > 1,
                 "OneCycle: the warm-up phase is empty (warmupFraction × totalSteps = \(warmupFraction * Double(totalSteps)) must be > 1); raise totalSteps or warmupFraction")
    precondition(peak.isFinite, "OneCycle: peak must be finite, got \(peak)")
    precondition(initialDivisor > 0 && initialDivisor.isFinite && finalDivisor > 0 && finalDivisor.isFinite,
                 "OneCycle: initialDivisor and finalDivisor must be finite and > 0, got \(initialDivisor) and \(finalDivisor)")
    (self.peak, self.totalSteps, self.warmupFraction, self.annealing) = (peak, totalSteps, warmupFraction, annealing)
    (self.initialDivisor, self.finalDivisor, self.threePhase) = (initialDivisor, finalDivisor, threePhase)
  }

  /// The value within the current phase.
  ///
  /// - Parameter step: t (clamped to [0, T − 1]).
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    let t = Double(min(max(step, 0), totalSteps - 1))
    let total = Double(totalSteps)
    let start = peak / initialDivisor
    let minimum = start / finalDivisor
    let riseEnd = warmupFraction * total - 1
    let last = Double(totalSteps - 1)
    // The phase containing t: (from, to) over [phaseStart, phaseEnd].
    var (from, to, phaseStart, phaseEnd) = (start, peak, 0.0, riseEnd)
    if t > riseEnd {
      if threePhase {
        let fallEnd = 2 * warmupFraction * total - 2
        (from, to, phaseStart, phaseEnd) =
          t <= fallEnd ? (peak, start, riseEnd, fallEnd) : (start, minimum, fallEnd, last)
      } else {
        (from, to, phaseStart, phaseEnd) = (peak, minimum, riseEnd, last)
      }
    }
    let fraction = (t - phaseStart) / (phaseEnd - phaseStart)
    switch annealing {
    case .cosine: return to + (from - to) / 2 * (optimisers_cos(Double.pi * fraction) + 1)
    case .linear: return (to - from) * fraction + from
    }
  }

  /// The start, the steps around the peak (and around the end of the second
  /// phase of three), and the last step.
  public var checkedSteps: [Int] {
    let total = Double(totalSteps)
    let riseEnd = warmupFraction * total - 1
    var steps = [0, Int(riseEnd.rounded(.down)), Int(riseEnd.rounded(.up)), totalSteps - 1]
    if threePhase {
      let fallEnd = 2 * warmupFraction * total - 2
      steps += [Int(fallEnd.rounded(.down)), Int(fallEnd.rounded(.up))]
    }
    return steps
  }
}
