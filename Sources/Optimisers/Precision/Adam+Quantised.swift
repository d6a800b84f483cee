extension Adam: QuantisableRule {
  /// ``Adam``'s update in `Float`, for ``Quantised``: the same order of
  /// operations as the 32-bit kernel.
  public struct QuantisedUpdate: QuantisedKernel {
    @usableFromInline let stepSize, root2, keep1, keep2, mix2, eps: Float
    @inlinable init(stepSize: Float, root2: Float, keep1: Float, keep2: Float, mix2: Float, eps: Float) {
      (self.stepSize, self.root2, self.keep1, self.keep2, self.mix2, self.eps) = (stepSize, root2, keep1, keep2, mix2, eps)
    }
    /// *m* and *v*.
    @inlinable public static var keepsSecondMoment: Bool { true }
    @inlinable @inline(__always)
    public func update(_ p: inout Float, _ g: Float, _ m: inout Float, _ v: inout Float) {
      m = m + keep1 * (g - m)
      v = keep2 * v + mix2 * g * g
      p -= stepSize * m / (Float.squareRoot(of: v) / root2 + eps)
    }
  }

  /// The coefficients of step `t`, computed as ``Adam`` computes them.
  @inlinable public func quantisedKernel(step t: Int) -> QuantisedUpdate {
    QuantisedUpdate(
      stepSize: Float(inverseDecay(learningRate, decay, step: t) / (1 - power(beta1, Double(t)))),
      root2: Float(Double.squareRoot(of: 1 - power(beta2, Double(t)))),
      keep1: Float(1 - beta1), keep2: Float(beta2), mix2: Float(1 - beta2), eps: Float(epsilon))
  }
}
