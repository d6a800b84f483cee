/// A stateless transform that maps each gradient element on its own, given
/// the matching parameter element: ``WeightDecay``, ``ClipValue``,
/// ``SignDecay``, ``Maximise``.
///
/// It is its own ``GradientMap`` and always fuses into the rule's loop, so a
/// conforming type declares its hyperparameters and writes
/// ``GradientMap/apply(_:parameter:)``; ``GradientTransform/fusesIntoRule``,
/// the step's map (the transform itself, after checking its hyperparameters)
/// and the materialised ``GradientTransform/transform(_:_:_:)`` follow:
///
/// ```swift
/// struct Shrink: ElementwiseTransform {
///   var factor: Double
///   func declareHyperparameters(_ h: inout some HyperparameterVisitor) { h.closedUnitInterval(factor, "factor") }
///   func apply<S: ParameterScalar>(_ g: S, parameter p: S) -> S { S(factor) * g }
/// }
/// ```
public protocol ElementwiseTransform: GradientTransform, GradientMap, HyperparameterDeclaring
where State == NoState, Map == Self {}

extension ElementwiseTransform {
  /// `true`: the transform runs inside the rule's loop.
  @inlinable public static var fusesIntoRule: Bool { true }

  /// The transform itself, once its hyperparameters are checked.
  @inlinable
  public func map<Params: Differentiable, Incoming: GradientMap>(
    _ state: inout NoState, gradient: Params.TangentVector, params: Params, after incoming: Incoming
  ) -> Self {
    requireValidHyperparameters()
    return self
  }
}
