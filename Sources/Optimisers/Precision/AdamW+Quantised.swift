extension AdamW: QuantisableRule {
  /// ``AdamW``'s update in `Float`, for ``Quantised``: ``adam``'s, which
  /// shrinks p by 1 − ηλ before the step.
  public struct QuantisedUpdate: QuantisedKernel {
    @usableFromInline let adam: Adam<Params>.QuantisedUpdate
    @inlinable init(adam: Adam<Params>.QuantisedUpdate) { self.adam = adam }
    /// *m* and *v*.
    @inlinable public static var keepsSecondMoment: Bool { true }
    @inlinable @inline(__always)
    public func update(_ p: inout Float, _ g: Float, _ m: inout Float, _ v: inout Float) { adam.update(&p, g, &m, &v) }
  }

  /// ``adam``'s coefficients of step `t`.
  @inlinable public func quantisedKernel(step t: Int) -> QuantisedUpdate { QuantisedUpdate(adam: adam.quantisedKernel(step: t)) }
}
