extension AdamW: QuantisableRule {
  /// ``AdamW``'s update in `Float`, for ``Quantised``: decay p by 1 − ηλ,
  /// then Adam's step.
  public struct QuantisedUpdate: QuantisedKernel {
    @usableFromInline let shrink: Float
    @usableFromInline let adam: Adam<Params>.QuantisedUpdate
    @inlinable init(shrink: Float, adam: Adam<Params>.QuantisedUpdate) { (self.shrink, self.adam) = (shrink, adam) }
    /// *m* and *v*.
    @inlinable public static var keepsSecondMoment: Bool { true }
    @inlinable @inline(__always)
    public func update(_ p: inout Float, _ g: Float, _ m: inout Float, _ v: inout Float) {
      p *= shrink
      adam.update(&p, g, &m, &v)
    }
  }

  /// The coefficients of step `t`, computed as ``AdamW`` computes them.
  @inlinable public func quantisedKernel(step t: Int) -> QuantisedUpdate {
    let t = Double(t)
    return QuantisedUpdate(
      shrink: Float(1 - learningRate * weightDecay),
      adam: .init(
        stepSize: Float(learningRate / (1 - power(beta1, t))), root2: Float(Double.squareRoot(of: 1 - power(beta2, t))),
        keep1: Float(1 - beta1), keep2: Float(beta2), mix2: Float(1 - beta2), eps: Float(epsilon)))
  }
}
