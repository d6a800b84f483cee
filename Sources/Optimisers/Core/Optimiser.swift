/// A pure optimisation rule: `(state, parameters, gradient) -> (state, parameters)`.
///
/// An optimiser is an immutable value holding hyperparameters (stored as `var`
/// properties, so wrappers can read and change them through key paths). Everything
/// that changes from step to step — step count, moment buffers — lives in an
/// explicit ``StatefulOptimiser/State`` value that you own, save and restore.
///
/// ```swift
/// let optimiser = Adam<Affine>(learningRate: 0.1)
/// var state = optimiser.initialState(for: model)
/// for _ in 0..<100 {
///   let (loss, gradient) = valueWithGradient(at: model) { squaredErrorLoss($0, x, y) }
///   optimiser.update(&state, &model, gradient)                    // in place
///   // or, the pure form at the same speed:
///   // (state, model) = optimiser.update(consume state, consume model, gradient)
/// }
/// ```
///
/// ## The pure form and copy-on-write
/// ``update(_:_:_:)->(_,_)`` takes its state and parameters as
/// `consuming` values and returns new ones. Written `update(state, model, g)`, the
/// caller's `state` and `model` are still alive during the call, so the first
/// write to each buffer copies it. Written `update(consume state, consume model,
/// g)`, the buffers are handed over and updated in place: the pure form then runs
/// as fast as the `inout` form, and both give bit-identical results.
///
/// ## Conforming
/// Implement ``StatefulOptimiser/initialState(for:)``, ``update(_:_:_:preprocessing:)`` (apply the
/// given ``GradientMap`` to each gradient element before your rule's maths, so
/// that chains of elementwise transforms fuse into your loop), ``StatefulOptimiser/validate(_:for:)``
/// and ``HyperparameterValidating/validateHyperparameters()``. The other entry points come from defaults.
///
/// - Complexity: Rules in this package update each leaf in one pass, O(*n*).
/// - References: Kingma and Ba, *Adam*, 2015 (state as moment estimates); Babuschkin
///   et al., *The DeepMind JAX Ecosystem* (optax's pure `init`/`update`), 2020.
public protocol Optimiser<Params>: StatefulOptimiser {
  /// One step in place, with each gradient element first passed through `map`.
  ///
  /// - Parameters:
  ///   - state: The state; advanced by one step.
  ///   - params: The parameters; moved by the rule.
  ///   - gradient: The gradient at `params`, with the same leaf shapes.
  ///   - map: An elementwise map applied to each gradient element (with the
  ///     matching parameter element) before the rule's maths.
  /// - Precondition: The gradient's and the state's leaf shapes match the
  ///   parameters'; otherwise the call stops with a message naming both shapes.
  /// - Complexity: O(*n*).
  func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map)
}

extension Optimiser {
  /// One step in place.
  ///
  /// Bit-identical to the pure form.
  ///
  /// - Parameters:
  ///   - state: The state; advanced by one step.
  ///   - params: The parameters; moved by the rule.
  ///   - gradient: The gradient at `params`.
  /// - Complexity: O(*n*).
  @inlinable
  public func update(_ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector) {
    update(&state, &params, gradient, preprocessing: IdentityGradientMap())
  }

  /// One step, pure: returns the next state and parameters.
  ///
  /// Pass the inputs with `consume` to run in place:
  /// `(state, model) = optimiser.update(consume state, consume model, gradient)`.
  /// Without `consume` the inputs stay valid and unchanged, and every buffer is
  /// copied once.
  ///
  /// - Parameters:
  ///   - state: The current state.
  ///   - params: The current parameters.
  ///   - gradient: The gradient at `params`.
  /// - Returns: The state and parameters after one step.
  /// - Complexity: O(*n*).
  @inlinable
  public func update(
    _ state: consuming State, _ params: consuming Params, _ gradient: Params.TangentVector
  ) -> (State, Params) {
    // Mutate the consumed parameters themselves: a copy (`var s = state`) would
    // keep the caller's buffers alive, lexically, until the end of this call,
    // and the walk would then copy every leaf before writing it.
    update(&state, &params, gradient, preprocessing: IdentityGradientMap())
    return (state, params)
  }
}
