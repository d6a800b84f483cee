import COptimisers

/// Linear warmup to a peak, then cosine decay to an end value.
///
/// With w the warmup steps, T the total decay steps (warmup included), and
/// α = η_end / η_peak:
///
///     s(t) = (η₀ − η_peak)(1 − t / w) + η_peak                        for t < w
///     s(t) = η_peak · ((1 − α) · ½(1 + cos(π c / (T − w)))^p + α)     for t ≥ w
///
/// where c = min(t − w, T − w). Matches
/// `optax.warmup_cosine_decay_schedule(init_value, peak_value, warmup_steps,
/// decay_steps, end_value, exponent)`; it equals `Warmup(CosineDecay(...))`.
/// - References: Loshchilov and Hutter, *SGDR*, ICLR 2017; Goyal et al.,
///   *Accurate, Large Minibatch SGD*, 2017.
public struct WarmupCosine: Schedule, Equatable {
  /// The value at step 0, η₀.
  public var initial: Double
  /// The value at the end of the warmup, η_peak.
  public var peak: Double
  /// The warmup's length w, ≥ 0.
  public var warmupSteps: Int
  /// The total length T including the warmup; T > w.
  public var decaySteps: Int
  /// The value from step T on, η_end.
  public var end: Double
  /// The exponent p of the cosine factor.
  public var exponent: Double

  /// Creates a warmup-cosine schedule.
  ///
  /// - Parameters:
  ///   - initial: η₀; default 0.
  ///   - peak: η_peak.
  ///   - warmupSteps: w ≥ 0.
  ///   - decaySteps: T > w, counted from step 0 (warmup included).
  ///   - end: η_end; default 0.
  ///   - exponent: p; default 1.
  /// - Precondition: 0 ≤ w < T.
  @inlinable public init(
    initial: Double = 0, peak: Double, warmupSteps: Int, decaySteps: Int, end: Double = 0, exponent: Double = 1
  ) {
    precondition(warmupSteps >= 0 && decaySteps > warmupSteps,
                 "WarmupCosine: need 0 ≤ warmupSteps < decaySteps, got \(warmupSteps) and \(decaySteps)")
    precondition(initial.isFinite && peak.isFinite && end.isFinite,
                 "WarmupCosine: initial, peak and end must be finite, got \(initial), \(peak) and \(end)")
    precondition(exponent > 0 && exponent.isFinite, "WarmupCosine: exponent must be finite and > 0, got \(exponent)")
    (self.initial, self.peak, self.warmupSteps, self.decaySteps) = (initial, peak, warmupSteps, decaySteps)
    (self.end, self.exponent) = (end, exponent)
  }

  /// The warmup ramp, then the cosine decay.
  ///
  /// - Parameter step: t.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    if warmupSteps > 0 && step < warmupSteps {
      let fraction = 1 - Double(max(step, 0)) / Double(warmupSteps)
      return (initial - peak) * fraction + peak
    }
    let alpha = peak == 0 ? 0 : end / peak
    return CosineDecay(initial: peak, decaySteps: decaySteps - warmupSteps, alpha: alpha, exponent: exponent)(
      StepArithmetic.difference(step, warmupSteps))
  }

  /// The start, the peak and the end.
  public var checkedSteps: [Int] { [0, warmupSteps, decaySteps] }
}
