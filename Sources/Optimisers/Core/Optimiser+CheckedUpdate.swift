extension Optimiser {
  /// One update that throws, instead of stopping the program, when the step
  /// cannot be taken: what a long job calls so that it can catch the error and
  /// save its state.
  ///
  /// Before updating it checks the hyperparameters
  /// (``HyperparameterValidating/validateHyperparameters()``), the state against the parameters
  /// (``StatefulOptimiser/validate(_:for:)``: shapes, counters below 2⁵³, and for a
  /// ``Scheduled`` rule every scheduled value at the state's step, however
  /// deeply nested), and the gradient's shapes. If any check fails, nothing
  /// changes and the error is thrown; otherwise it runs the in-place `update(_:_:_:)`.
  ///
  /// ```swift
  /// let optimiser = Scheduled(Adam<Model>(), \.beta1,
  ///                           by: LinearSchedule(initial: 0.9, end: 0.99, transitionSteps: 1000))
  /// do {
  ///   try optimiser.checkedUpdate(&state, &model, gradient)
  /// } catch {
  ///   try optimiser.checkpoint(state, for: model).write(toFile: "last-good.ckpt")
  /// }
  /// ```
  ///
  /// ``SkipNonFinite`` has its own `checkedUpdate`, which also reports giving
  /// up on non-finite steps (``NonFiniteError``).
  ///
  /// - Parameters:
  ///   - state: The state; advanced unless the call throws.
  ///   - params: The parameters; moved unless the call throws.
  ///   - gradient: The gradient at `params` (no leaves stands for zeros).
  /// - Throws: ``OptimiserError`` naming the hyperparameter (and step), the
  ///   state value or the leaf; `state` and `params` are then unchanged.
  /// - Complexity: The update plus O(leaves) checks (O(*n*) for a
  ///   ``Partition``, whose validation gathers its groups).
  @inlinable
  public func checkedUpdate(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector
  ) throws(OptimiserError) {
    try validateHyperparameters()
    try validate(state, for: params)
    if gradient.leafCount != 0 {
      try LeafWalk.validate(gradient, named: "gradient", for: params)
    }
    update(&state, &params, gradient)
  }
}
