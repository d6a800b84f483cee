/// Maximisation: negates the gradient, so the rule after it climbs the
/// objective instead of descending it.
///
///     g ← −g
///
/// `Chain(Maximise(), rule)` is the `maximize=True` of `torch.optim` and
/// `pytorch_optimizer` (which negate the gradient before the rule's maths) and
/// optax's negated loss: every rule then takes exactly the step it would take
/// on −f. Put it first in the chain.
///
/// Stateless and elementwise: in a ``Chain`` it runs inside the rule's loop.
///
/// - Complexity: O(1) per element, no pass of its own.
/// - References: PyTorch, `torch.optim.Optimizer` (`maximize`), 2022.
public struct Maximise: ElementwiseTransform {
  /// Creates the transform.
  @inlinable public init() {}

  /// −*g*.
  @inlinable public func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar { -gradient }

  /// No hyperparameters.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {}
}
