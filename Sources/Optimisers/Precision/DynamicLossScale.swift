/// A loss scale that grows while gradients stay finite and backs off when one
/// overflows: the dynamic loss scaling of mixed-precision training, with
/// `torch.amp.GradScaler`'s defaults.
///
/// Multiply the loss by ``LossScaleState/scale`` before differentiating
/// (``MixedPrecision/lossScale(of:)``); ``MixedPrecision`` divides the
/// gradient by it in `Float`. Each step, with *s* the scale:
///
///     non-finite gradient:  s ← s · backoffFactor; good ← 0; the step is skipped
///     finite gradient:      step;  good ← good + 1;  if good = growthInterval { s ← s · growthFactor; good ← 0 }
///
/// Defaults: s₀ = 2¹⁶, growth 2, back-off 0.5, interval 2000 (as PyTorch).
///
/// - References: Micikevicius et al., *Mixed Precision Training*, ICLR 2018;
///   PyTorch `torch.amp.GradScaler`.
public struct DynamicLossScale: Codable, Sendable, Hashable {
  /// The first scale, > 0.
  public var initialScale: Double
  /// The factor applied after `growthInterval` finite steps in a row, ≥ 1.
  public var growthFactor: Double
  /// The factor applied after a non-finite gradient, in (0, 1].
  public var backoffFactor: Double
  /// Finite steps in a row before the scale grows, ≥ 1.
  public var growthInterval: Int
  /// Whether a non-finite gradient is still handed to the base rule after the
  /// scale backs off (false: the step is skipped here). Set it when the base
  /// is a ``SkipNonFinite``, so that its counts and its limit on consecutive
  /// non-finite steps see every overflow.
  public var forwardsNonFinite: Bool

  /// Creates a scaling policy.
  ///
  /// - Precondition: Every value in its range.
  public init(
    initialScale: Double = 65536, growthFactor: Double = 2, backoffFactor: Double = 0.5, growthInterval: Int = 2000,
    forwardsNonFinite: Bool = false
  ) {
    precondition(initialScale > 0 && initialScale.isFinite, "initialScale must be finite and > 0, got \(initialScale)")
    precondition(growthFactor >= 1 && growthFactor.isFinite, "growthFactor must be finite and ≥ 1, got \(growthFactor)")
    precondition(backoffFactor > 0 && backoffFactor <= 1, "backoffFactor must be in (0, 1], got \(backoffFactor)")
    precondition(growthInterval >= 1, "growthInterval must be ≥ 1, got \(growthInterval)")
    (self.initialScale, self.growthFactor, self.backoffFactor) = (initialScale, growthFactor, backoffFactor)
    (self.growthInterval, self.forwardsNonFinite) = (growthInterval, forwardsNonFinite)
  }

  /// Advances `state` after a step whose gradient was finite or not.
  public func advance(_ state: inout LossScaleState, finite: Bool) {
    if finite {
      state.goodSteps += 1
      if state.goodSteps >= growthInterval {
        let grown = state.scale * growthFactor
        if grown.isFinite { state.scale = grown }
        state.goodSteps = 0
      }
    } else {
      state.scale = Swift.max(state.scale * backoffFactor, Double.leastNormalMagnitude)
      state.goodSteps = 0
      state.skippedSteps += 1
    }
  }
}

/// The changing part of a ``DynamicLossScale``.
public struct LossScaleState: Codable, Sendable, Hashable {
  /// The current scale: multiply the loss by it.
  public var scale: Double
  /// Finite steps since the scale last changed.
  public var goodSteps: Int
  /// Steps whose gradient was not finite.
  public var skippedSteps: Int

  /// A state.
  public init(scale: Double, goodSteps: Int = 0, skippedSteps: Int = 0) {
    (self.scale, self.goodSteps, self.skippedSteps) = (scale, goodSteps, skippedSteps)
  }
}
