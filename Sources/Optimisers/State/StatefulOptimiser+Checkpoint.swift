extension StatefulOptimiser {
  /// A checkpoint of `state` for `params`, recording this optimiser's
  /// structure and hyperparameters (an L-BFGS line search's included), the
  /// leaves' names and shapes, and the whole state (for L-BFGS its counters,
  /// last direction and gradient and every curvature pair), so that
  /// ``restore(from:for:hyperparameters:nonFiniteValues:)`` resumes the run
  /// bit-exactly.
  ///
  /// - Parameters:
  ///   - state: The state to save.
  ///   - params: The parameters it belongs to.
  ///   - includingParameters: Whether to save the parameter values too;
  ///     default `false`.
  /// - Throws: ``CheckpointError/invalidState(_:)`` if `state` does not fit
  ///   `params`, ``CheckpointError/unencodableState(_:)`` if encoding it fails.
  /// - Complexity: O(*n*).
  public func checkpoint(
    _ state: State, for params: Params, includingParameters: Bool = false
  ) throws(CheckpointError) -> Checkpoint {
    try CheckpointCoding.checkpoint(
      state, describing: self, for: params, includingParameters: includingParameters,
      validate: { () throws(OptimiserError) in try validate(state, for: params) })
  }

  /// The state saved in `checkpoint`, after checking everything against this
  /// optimiser and `params`.
  ///
  /// - Parameters:
  ///   - checkpoint: A checkpoint of any readable format version.
  ///   - params: The parameters the state is for.
  ///   - hyperparameters: Whether hyperparameter values must match; default
  ///     ``Checkpoint/HyperparameterPolicy/mustMatch``.
  ///   - nonFiniteValues: Whether NaN and ±∞ in the state's buffers and the
  ///     saved parameters are refused (the default) or loaded on purpose. A
  ///     negative value in a sum or average of squares (`secondMoment`,
  ///     `sumOfSquares`, …) is refused either way.
  /// - Returns: The complete, validated state.
  /// - Throws: ``CheckpointError`` naming the first difference: the format
  ///   version, the rule, the hyperparameter, the leaf selection, the leaf, the
  ///   shape, a poisoned value
  ///   (``CheckpointError/poisonedValue(buffer:leaf:index:value:requirement:)``),
  ///   or what the state's decoding or ``StatefulOptimiser/validate(_:for:)`` reported
  ///   (including a scheduled hyperparameter out of range at the saved step);
  ///   ``CheckpointError/corrupt(_:)``
  ///   when a version 1 checkpoint lacks its description, leaves or scalar
  ///   type, or its step disagrees with its state's.
  /// - Complexity: O(*n*).
  public func restore(
    from checkpoint: Checkpoint, for params: Params,
    hyperparameters: Checkpoint.HyperparameterPolicy = .mustMatch,
    nonFiniteValues: Checkpoint.NonFiniteValues = .reject
  ) throws(CheckpointError) -> State {
    try CheckpointCoding.restore(
      State.self, from: checkpoint, describing: self, for: params, initialState: { initialState(for: params) },
      hyperparameters: hyperparameters, nonFiniteValues: nonFiniteValues,
      validate: { (state: State) throws(OptimiserError) in try validate(state, for: params) })
  }
}
