/// Clips every gradient element to [−δ, δ].
///
///     g ← min(max(g, −δ), δ)
///
/// NaN passes through unchanged (both comparisons are false), as in
/// `optax.clip(δ)` and `torch.nn.utils.clip_grad_value_(params, δ)`, which this
/// matches.
///
/// ```swift
/// let optimiser = Chain(ClipValue(1.0), Adam<Model>())
/// ```
///
/// Stateless and elementwise: in a ``Chain`` it runs inside the rule's loop.
///
/// - Complexity: O(1) per element, no pass of its own.
/// - References: Mikolov, *Statistical Language Models Based on Neural Networks*,
///   PhD thesis, 2012 (gradient value clipping); optax `clip`.
public struct ClipValue: ElementwiseTransform {
  /// The bound δ ≥ 0.
  public var bound: Double

  /// Creates the transform.
  ///
  /// - Parameter bound: δ ≥ 0, finite; no default.
  /// - Precondition: `bound` is finite and ≥ 0.
  @inlinable public init(_ bound: Double) {
    self.bound = bound
    requireValidHyperparameters()
  }

  /// min(max(*g*, −δ), δ), NaN unchanged.
  @inlinable public func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar {
    let high = Scalar(bound)
    let low = -high
    return gradient > high ? high : (gradient < low ? low : gradient)
  }

  /// Checks that `bound` is finite and ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(bound, "bound")
  }
}
