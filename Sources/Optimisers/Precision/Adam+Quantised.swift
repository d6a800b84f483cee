extension Adam: QuantisableRule {
  /// ``Adam``'s update in `Float`, for ``Quantised``: the 32-bit kernel's own
  /// element update, after the same weight decay.
  public struct QuantisedUpdate: QuantisedKernel {
    @usableFromInline let a: AdamArithmetic<Float>
    @inlinable init(_ a: AdamArithmetic<Float>) { self.a = a }
    /// *m* and *v*.
    @inlinable public static var keepsSecondMoment: Bool { true }
    @inlinable @inline(__always)
    public func update(_ p: inout Float, _ g: Float, _ m: inout Float, _ v: inout Float) {
      let decayed = g + a.l2 * p, g = a.l2 == 0 ? g : decayed  // as Block.forEachGradient(weightDecay:shrink:_:)
      p *= a.shrink
      if a.rootInside {
        Adam.update(&p, g, &m, &v, a, RootDenominator.self)
      } else {
        Adam.update(&p, g, &m, &v, a, TorchDenominator.self)
      }
    }
  }

  /// The coefficients of step `t`, computed as ``Adam`` computes them (weight
  /// decay, coupled or decoupled, and ε_root included).
  @inlinable public func quantisedKernel(step t: Int) -> QuantisedUpdate {
    QuantisedUpdate(AdamArithmetic(self, step: t, learningRate: inverseDecay(learningRate, decay, step: t)))
  }
}
