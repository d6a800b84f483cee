/// One step's scalars for one group of ``MARS``'s leaves, converted once.
@usableFromInline
struct MARSCoefficients<Scalar: ParameterScalar>: Sendable {
  @usableFromInline let keep1, mix1, keep2, mix2, eps, decay, negativeRate, shrink: Scalar
  @usableFromInline let correction1, root2, inverseRoot2: Scalar

  @inlinable
  init(_ t: Int, rate: Double, beta1: Double, beta2: Double, weightDecay: Double, epsilon: Double) {
    (keep1, mix1, keep2, mix2) = (Scalar(beta1), Scalar(1 - beta1), Scalar(beta2), Scalar(1 - beta2))
    (eps, decay, negativeRate, shrink) =
      (Scalar(epsilon), Scalar(weightDecay), Scalar(-rate), Scalar(1 - weightDecay * rate))
    let root = (1 - power(beta2, Double(t))).squareRoot()
    (correction1, root2, inverseRoot2) = (Scalar(1 - power(beta1, Double(t))), Scalar(root), Scalar(1 / root))
  }
}
