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
public struct Maximise: GradientTransform, GradientMap, HyperparameterDeclaring {
  /// The state: nothing.
  public typealias State = NoState
  /// The transform is its own map.
  public typealias Map = Maximise

  /// Creates the transform.
  @inlinable public init() {}

  /// `true`: elementwise.
  @inlinable public static var fusesIntoRule: Bool { true }

  /// The transform itself.
  @inlinable
  public func map<Params: Differentiable, Incoming: GradientMap>(
    _ state: inout NoState, gradient: Params.TangentVector, params: Params, after incoming: Incoming
  ) -> Maximise { self }

  /// −*g*.
  @inlinable public func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar { -gradient }

  /// No hyperparameters.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {}
}
