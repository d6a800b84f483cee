/// An optimiser that calls the objective itself:
/// `(state, parameters, objective) -> (state, parameters)`.
///
/// The rules that conform to ``Optimiser`` take one gradient and return one
/// step. Quasi-Newton methods with a line search (``LBFGS``) and
/// sharpness-aware minimisation (``SharpnessAware``) evaluate the objective
/// several times per step, so they take the objective — a function returning
/// the value and the gradient, as ``valueWithGradient(at:of:)`` gives them —
/// instead of a gradient:
///
/// ```swift
/// let lbfgs = LBFGS<Tensor<Double>>(lineSearch: .strongWolfe())
/// var state = lbfgs.initialState(for: x)
/// let report = try lbfgs.step(&state, &x) { p in valueWithGradient(at: p) { rosenbrock($0) } }
/// print(report.iterations, report.evaluations, report.stopReason)
/// ```
///
/// As for ``Optimiser``, everything that changes between steps lives in an
/// explicit ``StatefulOptimiser/State`` value — `Codable`, so a run can be checkpointed and
/// resumed bit-exactly, curvature history included — and the pure form
/// ``step(_:_:objective:)->(_,_,_)`` gives bit-identical results to the
/// in-place form. A step reports what it did (``ObjectiveStepReport``) and
/// throws ``ObjectiveError`` on a non-finite value or gradient, leaving the
/// caller's state and parameters as they were.
///
/// ## Conforming
/// Implement ``StatefulOptimiser/initialState(for:)``, ``step(_:_:objective:)``,
/// ``StatefulOptimiser/validate(_:for:)`` and ``HyperparameterValidating/validateHyperparameters()``.
///
/// - Complexity: Each conforming type documents its cost per step.
/// - References: Nocedal and Wright, *Numerical Optimization*, 2nd ed., 2006;
///   Foret et al., *Sharpness-Aware Minimization for Efficiently Improving
///   Generalization*, ICLR 2021.
public protocol ObjectiveOptimiser<Params>: StatefulOptimiser {
  /// One step in place: calls `objective` as often as the method needs and
  /// moves `params`.
  ///
  /// - Parameters:
  ///   - state: The state; advanced by the step.
  ///   - params: The parameters; moved by the step.
  ///   - objective: Returns the objective's value and gradient at its argument.
  /// - Returns: What the step did.
  /// - Throws: ``ObjectiveError`` when a value, a gradient or the search
  ///   direction is not finite; `state` and `params` are then unchanged.
  /// - Precondition: The gradients' and the state's leaf shapes match the
  ///   parameters'.
  @discardableResult
  func step(
    _ state: inout State, _ params: inout Params,
    objective: (Params) -> (value: Params.TangentVector.Scalar, gradient: Params.TangentVector)
  ) throws(ObjectiveError) -> ObjectiveStepReport
}

extension ObjectiveOptimiser {
  /// One step, pure: returns the next state and parameters and the report.
  ///
  /// Pass the inputs with `consume` to update their buffers in place:
  /// `(state, model, report) = try lbfgs.step(consume state, consume model) { … }`.
  /// Bit-identical to the in-place form.
  ///
  /// - Parameters:
  ///   - state: The current state.
  ///   - params: The current parameters.
  ///   - objective: Returns the objective's value and gradient at its argument.
  /// - Returns: The state and parameters after the step, and what it did.
  /// - Throws: ``ObjectiveError`` when a value, a gradient or the search
  ///   direction is not finite.
  @inlinable
  public func step(
    _ state: consuming State, _ params: consuming Params,
    objective: (Params) -> (value: Params.TangentVector.Scalar, gradient: Params.TangentVector)
  ) throws(ObjectiveError) -> (State, Params, ObjectiveStepReport) {
    let report = try step(&state, &params, objective: objective)
    return (state, params, report)
  }
}
