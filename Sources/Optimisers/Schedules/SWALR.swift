import COptimisers

/// PyTorch's `SWALR`: anneals from the optimiser's rate η to the averaging rate
/// η_swa over *E* steps, then holds η_swa, for stochastic weight averaging.
///
/// With t = min(1, k / max(1, E)) at step k (k ≥ 1 when E = 0):
///
///     α = (1 − cos(π t)) / 2   (`.cosine`)   or   α = t   (`.linear`)
///     s(k) = η_swa · α + η · (1 − α)
///
/// Matches `torch.optim.swa_utils.SWALR(optimizer, swa_lr=η_swa,
/// anneal_epochs=E, anneal_strategy="cos" | "linear")` with η the optimiser's
/// `lr` when the scheduler is created and our step equal to torch's
/// `last_epoch`. Torch recovers η at every step from the current rate,
/// (s − α′η_swa)/(1 − α′); that recursion equals this closed form in exact
/// arithmetic and differs from it by rounding only. Drive a rule with
/// `Scheduled(rule, \.learningRate, by: SWALR(…))`, and average with
/// ``StochasticWeightAveraging``.
///
/// - Complexity: O(1).
/// - References: Izmailov, Podoprikhin, Garipov, Vetrov and Wilson, *Averaging
///   Weights Leads to Wider Optima and Better Generalization*, UAI 2018;
///   PyTorch `torch.optim.swa_utils.SWALR`.
public struct SWALR: Schedule, Equatable {
  /// The shape of the annealing.
  public enum Annealing: String, Codable, Sendable, Hashable {
    /// α = (1 − cos(πt)) / 2 (`"cos"`, torch's default).
    case cosine
    /// α = t (`"linear"`).
    case linear
  }

  /// The rate η the annealing starts from (the optimiser's `lr`).
  public var initial: Double
  /// The rate η_swa held after the annealing (`swa_lr`).
  public var swaRate: Double
  /// The annealing length *E* ≥ 0 in steps (`anneal_epochs`; default 10).
  public var annealSteps: Int
  /// The shape of the annealing (default ``Annealing/cosine``).
  public var annealing: Annealing

  /// Creates the schedule.
  ///
  /// - Precondition: *E* ≥ 0; η and η_swa finite.
  @inlinable
  public init(initial: Double, swaRate: Double, annealSteps: Int = 10, annealing: Annealing = .cosine) {
    precondition(annealSteps >= 0, "SWALR: annealSteps must be ≥ 0, got \(annealSteps)")
    precondition(initial.isFinite && swaRate.isFinite, "SWALR: rates must be finite, got \(initial) and \(swaRate)")
    (self.initial, self.swaRate, self.annealSteps, self.annealing) = (initial, swaRate, annealSteps, annealing)
  }

  /// Decodes the schedule (``ScheduleRegistry`` kind `"swalr"`); throws when
  /// *E* < 0 or a rate is not finite, as ``init(initial:swaRate:annealSteps:annealing:)`` stops.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let initial = try container.decode(Double.self, forKey: .initial)
    let swaRate = try container.decode(Double.self, forKey: .swaRate)
    let steps = try container.decode(Int.self, forKey: .annealSteps)
    guard steps >= 0, initial.isFinite, swaRate.isFinite else {
      throw DecodingError.dataCorruptedError(
        forKey: .annealSteps, in: container,
        debugDescription: "SWALR: annealSteps must be ≥ 0 and the rates finite, got \(steps), \(initial), \(swaRate)")
    }
    self.init(
      initial: initial, swaRate: swaRate, annealSteps: steps,
      annealing: try container.decode(Annealing.self, forKey: .annealing))
  }

  /// η_swa · α + η · (1 − α) at step `step` (negative steps give η).
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    let k = annealSteps == 0 ? Swift.max(1, step) : Swift.max(0, step)
    let t = Swift.min(1, Double(k) / Double(Swift.max(1, annealSteps)))
    let alpha = annealing == .cosine ? (1 - optimisers_cos(Double.pi * t)) / 2 : t
    return swaRate * alpha + initial * (1 - alpha)
  }

  /// The start (η) and the end of the annealing (η_swa).
  public var checkedSteps: [Int] { [0, annealSteps] }

  private enum CodingKeys: String, CodingKey {
    case initial, swaRate, annealSteps, annealing
  }
}
