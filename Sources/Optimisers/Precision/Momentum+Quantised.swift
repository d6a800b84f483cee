extension Momentum: QuantisableRule {
  /// ``Momentum``'s update in `Float`, for ``Quantised``: the velocity only.
  public struct QuantisedUpdate: QuantisedKernel {
    @usableFromInline let rate, mu, undamped, l2: Float
    @usableFromInline let first: Bool
    @inlinable init(rate: Float, mu: Float, undamped: Float, l2: Float, first: Bool) {
      (self.rate, self.mu, self.undamped, self.l2, self.first) = (rate, mu, undamped, l2, first)
    }
    /// *m* only.
    @inlinable public static var keepsSecondMoment: Bool { false }
    @inlinable @inline(__always)
    public func update(_ p: inout Float, _ g: Float, _ m: inout Float, _ v: inout Float) {
      let decayed = g + l2 * p, g = l2 == 0 ? g : decayed  // as Block.gradient(_:weightDecay:)
      m = first ? g : mu * m + undamped * g
      p -= rate * m
    }
  }

  /// The coefficients of step `t`, computed as ``Momentum`` computes them
  /// (dampening with torch's undamped first step, and coupled weight decay).
  @inlinable public func quantisedKernel(step t: Int) -> QuantisedUpdate {
    QuantisedUpdate(rate: Float(inverseDecay(learningRate, decay, step: t)), mu: Float(momentum),
      undamped: Float(1 - dampening), l2: Float(weightDecay), first: t == 1 && dampening != 0)
  }
}
