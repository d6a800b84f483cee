extension ObjectiveOptimiser {
  /// A checkpoint of `state` for `params`: the optimiser's structure and
  /// hyperparameters (the line search's included), the leaves' names and
  /// shapes, and the whole state — counters, last direction and gradient,
  /// every curvature pair — so that ``restore(from:for:hyperparameters:nonFiniteValues:)``
  /// resumes the run bit-exactly.
  ///
  /// - Parameters:
  ///   - state: The state to save.
  ///   - params: The parameters it belongs to.
  ///   - includingParameters: Whether to save the parameter values too;
  ///     default `false`.
  /// - Throws: ``CheckpointError/invalidState(_:)`` if `state` does not fit
  ///   `params`, ``CheckpointError/unencodableState(_:)`` if encoding it fails.
  /// - Complexity: O(*mn*) for *m* curvature pairs of *n* scalars.
  public func checkpoint(
    _ state: State, for params: Params, includingParameters: Bool = false
  ) throws(CheckpointError) -> Checkpoint {
    try CheckpointCoding.checkpoint(
      state, describing: self, for: params, includingParameters: includingParameters,
      validate: { () throws(OptimiserError) in try validate(state, for: params) })
  }

  /// The state saved in `checkpoint`, after the same checks as
  /// ``Optimiser/restore(from:for:hyperparameters:nonFiniteValues:)``: format
  /// version, optimiser and hyperparameters, leaves and shapes, non-finite
  /// values, then ``validate(_:for:)`` (vector lengths, history length).
  ///
  /// - Throws: ``CheckpointError`` naming the first difference.
  /// - Complexity: O(*mn*).
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
