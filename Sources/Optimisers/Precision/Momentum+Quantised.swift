extension Momentum: QuantisableRule {
  /// ``Momentum``'s update in `Float`, for ``Quantised``: the velocity only.
  public struct QuantisedUpdate: QuantisedKernel {
    @usableFromInline let rate, mu: Float
    @inlinable init(rate: Float, mu: Float) { (self.rate, self.mu) = (rate, mu) }
    /// The velocity only.
    @inlinable public static var keepsSecondMoment: Bool { false }
    @inlinable @inline(__always)
    public func update(_ p: inout Float, _ g: Float, _ m: inout Float, _ v: inout Float) {
      m = mu * m + g
      p -= rate * m
    }
  }

  /// The coefficients of step `t`, as ``Momentum`` computes them.
  @inlinable public func quantisedKernel(step t: Int) -> QuantisedUpdate {
    QuantisedUpdate(rate: Float(inverseDecay(learningRate, decay, step: t)), mu: Float(momentum))
  }
}
