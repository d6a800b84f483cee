/// PyTorch's schedulers that scale the optimiser's base rate by a factor,
/// spelled with torch's names and defaults.
///
/// Each returns the rate, `baseRate` × torch's factor; with `baseRate: 1` it
/// returns the factor itself, to multiply with other factors as torch's
/// `ChainedScheduler` does (``Chained``, or `a * b`). Our step is torch's
/// `last_epoch` (the number of `scheduler.step()` calls made before the update).
extension Schedule where Self == LinearSchedule {
  /// `torch.optim.lr_scheduler.LinearLR(optimizer, start_factor, end_factor,
  /// total_iters)`: the factor moves linearly from `startFactor` to `endFactor`
  /// over `totalIters` steps, then stays.
  ///
  ///     s(t) = baseRate · (start + (end − start) · min(t, T) / T)
  ///
  /// Torch updates the rate recursively; the two agree to about 10⁻¹⁵ relative.
  ///
  /// - Parameters:
  ///   - baseRate: The optimiser's `lr`; default 1 (the factor alone).
  ///   - startFactor: The factor at step 0, in (0, 1]; default 1/3.
  ///   - endFactor: The factor from `totalIters` on, in [0, 1]; default 1.
  ///   - totalIters: T > 0; default 5.
  /// - Returns: `LinearSchedule(initial: baseRate · startFactor, end: baseRate · endFactor, transitionSteps: T)`.
  /// - Precondition: The ranges above (torch raises for the same values).
  /// - Complexity: O(1).
  public static func linearLR(
    baseRate: Double = 1, startFactor: Double = 1.0 / 3, endFactor: Double = 1, totalIters: Int = 5
  ) -> LinearSchedule {
    precondition(startFactor > 0 && startFactor <= 1, "linearLR: startFactor must be in (0, 1], got \(startFactor)")
    precondition(endFactor >= 0 && endFactor <= 1, "linearLR: endFactor must be in [0, 1], got \(endFactor)")
    return LinearSchedule(initial: baseRate * startFactor, end: baseRate * endFactor, transitionSteps: totalIters)
  }
}

extension Schedule where Self == PiecewiseConstant {
  /// `torch.optim.lr_scheduler.ConstantLR(optimizer, factor, total_iters)`:
  /// the rate times `factor` for the first `totalIters` steps, then the rate.
  ///
  ///     s(t) = baseRate · factor                  for t < T
  ///     s(t) = (baseRate · factor) · (1 / factor)  for t ≥ T   (torch's own rounding)
  ///
  /// - Parameters:
  ///   - baseRate: The optimiser's `lr`; default 1 (the factor alone).
  ///   - factor: In (0, 1]; default 1/3.
  ///   - totalIters: T ≥ 0; default 5.
  /// - Returns: A ``PiecewiseConstant`` with one boundary at T.
  /// - Precondition: 0 < factor ≤ 1 and T ≥ 0.
  /// - Complexity: O(1).
  public static func constantLR(baseRate: Double = 1, factor: Double = 1.0 / 3, totalIters: Int = 5)
    -> PiecewiseConstant
  {
    precondition(factor > 0 && factor <= 1, "constantLR: factor must be in (0, 1], got \(factor)")
    precondition(totalIters >= 0, "constantLR: totalIters must be ≥ 0, got \(totalIters)")
    return PiecewiseConstant(initial: baseRate * factor, boundaries: [totalIters], scales: [1 / factor])
  }
}

extension Schedule where Self == PolynomialDecay {
  /// `torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters, power)`:
  /// the rate times (1 − min(t, T)/T)^p, reaching 0 at T.
  ///
  /// Torch updates the rate recursively; the two agree to about 10⁻¹⁵ relative.
  ///
  /// - Parameters:
  ///   - baseRate: The optimiser's `lr`; default 1 (the factor alone).
  ///   - totalIters: T > 0; default 5.
  ///   - power: p ≥ 0; default 1.
  /// - Returns: `PolynomialDecay(initial: baseRate, end: 0, exponent: p, transitionSteps: T)`.
  /// - Complexity: O(1).
  public static func polynomialLR(baseRate: Double = 1, totalIters: Int = 5, power: Double = 1) -> PolynomialDecay {
    PolynomialDecay(initial: baseRate, end: 0, exponent: power, transitionSteps: totalIters)
  }
}

extension Cyclic {
  /// The momentum `torch.optim.lr_scheduler.CyclicLR(..., cycle_momentum=True,
  /// base_momentum=, max_momentum=)` cycles in step with this rate, inverted:
  /// it is `maximum` where the rate is at its base and falls to `base` where
  /// the rate peaks, with the same cycle and amplitude policy.
  ///
  ///     m(t) = m_max + (m_base − m_max) · h · scale     (the rate's h and scale)
  ///
  /// Drive both with one `Scheduled`, on `\.momentum` (SGD with momentum) or
  /// `\.beta1` (Adam, where torch cycles `betas[0]`):
  /// `Scheduled(rule, [(\.learningRate, rate), (\.momentum, rate.cycledMomentum())])`.
  ///
  /// - Parameters:
  ///   - base: `base_momentum`, reached at the rate's peaks; default 0.8.
  ///   - maximum: `max_momentum`, at the rate's base; default 0.9.
  /// - Returns: A ``Cyclic`` from `maximum` towards `base`.
  /// - Complexity: O(1).
  public func cycledMomentum(base: Double = 0.8, maximum: Double = 0.9) -> Cyclic {
    Cyclic(base: maximum, maximum: base, stepSizeUp: stepSizeUp, stepSizeDown: stepSizeDown, mode: mode)
  }
}

extension OneCycle {
  /// The momentum `torch.optim.lr_scheduler.OneCycleLR(..., cycle_momentum=True,
  /// base_momentum=, max_momentum=)` cycles in step with this rate, inverted:
  /// `maximum` at step 0, `base` where the rate peaks, back to `maximum` at the
  /// end (three phases: down, up, then held at `maximum`), with the same phases
  /// and annealing.
  ///
  /// Drive both with one `Scheduled`, on `\.momentum` or `\.beta1` (torch
  /// cycles Adam's `betas[0]`):
  /// `Scheduled(rule, [(\.learningRate, rate), (\.beta1, rate.cycledMomentum())])`.
  /// The start value is base / (base / maximum), which may differ from
  /// `maximum` in the last bit.
  ///
  /// - Parameters:
  ///   - base: `base_momentum`, at the rate's peak; default 0.85.
  ///   - maximum: `max_momentum`, at the start and the end; default 0.95.
  /// - Returns: A ``OneCycle`` with peak `base`, start `maximum` and final divisor 1.
  /// - Precondition: Both momenta > 0 and finite.
  /// - Complexity: O(1).
  public func cycledMomentum(base: Double = 0.85, maximum: Double = 0.95) -> OneCycle {
    precondition(base > 0 && maximum > 0 && base.isFinite && maximum.isFinite,
                 "OneCycle.cycledMomentum: base and maximum must be finite and > 0, got \(base) and \(maximum)")
    return OneCycle(peak: base, totalSteps: totalSteps, warmupFraction: warmupFraction, annealing: annealing,
                    initialDivisor: base / maximum, finalDivisor: 1, threePhase: threePhase)
  }
}
