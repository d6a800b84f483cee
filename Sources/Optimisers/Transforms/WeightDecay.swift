/// Coupled weight decay (L2 regularisation): adds λ·p to the gradient.
///
///     g ← g + λ · p
///
/// This is `optax.add_decayed_weights(λ)` and the `weight_decay` argument of
/// `torch.optim.SGD` and `torch.optim.Adam`: the decay then passes through the
/// rule (Adam rescales it). For AdamW's decoupled form, which shrinks the
/// parameters directly, use ``DecoupledWeightDecay``.
///
/// ```swift
/// let optimiser = Chain(WeightDecay(1e-4).masked { $0.hasSuffix("weight") }, SGD<Model>())
/// ```
///
/// Stateless and elementwise: in a ``Chain`` it runs inside the rule's loop.
///
/// - Complexity: O(1) per element, no pass of its own.
/// - References: Krogh and Hertz, *A Simple Weight Decay Can Improve
///   Generalization*, NeurIPS 1991; optax `add_decayed_weights`.
public struct WeightDecay: ElementwiseTransform {
  /// The decay coefficient λ ≥ 0.
  public var coefficient: Double

  /// Creates the transform.
  ///
  /// - Parameter coefficient: λ ≥ 0, finite; no default.
  /// - Precondition: `coefficient` is finite and ≥ 0.
  @inlinable public init(_ coefficient: Double) {
    self.coefficient = coefficient
    requireValidHyperparameters()
  }

  /// *g* + λ*p*.
  @inlinable public func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar {
    gradient + Scalar(coefficient) * parameter
  }

  /// Checks that `coefficient` is finite and ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(coefficient, "coefficient")
  }
}
