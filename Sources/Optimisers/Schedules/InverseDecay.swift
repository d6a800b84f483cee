/// Inverse-time decay: s(t) = η / (1 + decay · t).
///
/// The decay that the seed's `decay:` argument of ``SGD``, ``Momentum``,
/// ``Nesterov`` and ``Adam`` applies to the learning rate, as a stand-alone
/// schedule. `Scheduled(Adam(learningRate: η), \.learningRate, by:
/// InverseDecay(initial: η, decay: d))` gives bit-for-bit the same numbers as
/// `Adam(learningRate: η, decay: d)`.
/// - References: Flux.jl `InvDecay`; Bottou, *Stochastic Gradient Descent
///   Tricks*, 2012 (η₀ / (1 + η₀λt)).
public struct InverseDecay: Schedule, Equatable {
  /// The value at step 0, η.
  public var initial: Double
  /// The decay coefficient, ≥ 0.
  public var decay: Double

  /// Creates an inverse-time decay.
  ///
  /// - Parameters:
  ///   - initial: η, the value at step 0.
  ///   - decay: The coefficient in 1 + decay · t; ≥ 0.
  /// - Precondition: `decay` ≥ 0.
  @inlinable public init(initial: Double, decay: Double) {
    precondition(decay >= 0 && decay.isFinite, "InverseDecay: decay must be finite and ≥ 0, got \(decay)")
    precondition(initial.isFinite, "InverseDecay: initial must be finite, got \(initial)")
    (self.initial, self.decay) = (initial, decay)
  }

  /// η / (1 + decay · t).
  ///
  /// - Parameter step: t.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    initial / (1 + decay * Double(max(step, 0)))
  }
}
