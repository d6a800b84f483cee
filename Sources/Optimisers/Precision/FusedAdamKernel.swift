import COptimisers

/// A ``QuantisedKernel`` that is Adam's update, so that ``Quantised`` can run
/// the whole step in the fused C pass (`optimisers_adam8`: decode, update,
/// store, encode, one pass per block of 256) instead of calling the kernel
/// element by element. The C pass computes the same operations in the same
/// order, so the results are the same bits.
@usableFromInline
protocol FusedAdamKernel: QuantisedKernel {
  /// The step's coefficients, as the C pass takes them.
  var adamCoefficients: optimisers_adam_coefficients { get }
}

extension Adam.QuantisedUpdate: FusedAdamKernel {
  @inlinable var adamCoefficients: optimisers_adam_coefficients {
    optimisers_adam_coefficients(
      mix1: a.mix1, keep2: a.keep2, mix2: a.mix2, l2: a.l2, shrink: a.shrink, step_size: a.stepSize, inner: a.inner,
      epsilon_root: a.epsilonRoot, outer: a.outer, epsilon: a.epsilon)
  }
}

extension AdamW.QuantisedUpdate: FusedAdamKernel {
  @inlinable var adamCoefficients: optimisers_adam_coefficients { adam.adamCoefficients }
}
