extension Lion: QuantisableRule {
  /// ``Lion``'s update in `Float`, for ``Quantised``: the momentum only.
  public struct QuantisedUpdate: QuantisedKernel {
    @usableFromInline let rate, decay, mix1, keep1, mix2, keep2: Float
    @inlinable init(rate: Float, decay: Float, mix1: Float, keep1: Float, mix2: Float, keep2: Float) {
      (self.rate, self.decay, self.mix1, self.keep1, self.mix2, self.keep2) = (rate, decay, mix1, keep1, mix2, keep2)
    }
    /// The momentum only.
    @inlinable public static var keepsSecondMoment: Bool { false }
    @inlinable @inline(__always)
    public func update(_ p: inout Float, _ g: Float, _ m: inout Float, _ v: inout Float) {
      let direction = Elementwise.sign(mix1 * g + keep1 * m) + decay * p
      m = mix2 * g + keep2 * m
      p -= rate * direction
    }
  }

  /// The coefficients, as ``Lion`` computes them.
  @inlinable public func quantisedKernel(step t: Int) -> QuantisedUpdate {
    QuantisedUpdate(
      rate: Float(learningRate), decay: Float(weightDecay), mix1: Float(1 - beta1), keep1: Float(beta1),
      mix2: Float(1 - beta2), keep2: Float(beta2))
  }
}
