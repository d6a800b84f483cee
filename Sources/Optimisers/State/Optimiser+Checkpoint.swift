extension Optimiser {
  /// A checkpoint of `state` for `params`, recording this optimiser's
  /// structure and hyperparameters and the leaves' names and shapes.
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
    do { try validate(state, for: params) } catch { throw .invalidState(error) }
    let tree: StateTree
    do { tree = try StateTree(encoding: state) } catch { throw .unencodableState("\(error)") }
    let leaves = (0..<params.parameterLeafCount).map {
      Checkpoint.Leaf(name: params.parameterLeafName(at: $0), shape: params.parameterLeafShape(at: $0))
    }
    var values: [StateTree]? = nil
    if includingParameters {
      values = (0..<params.parameterLeafCount).map { index in
        params.withParameterLeaf(at: index) { leaf in
          (try? StateTree(encoding: Array(leaf))) ?? .array([])
        }
      }
    }
    return Checkpoint(
      optimiser: OptimiserDescription(describing: self, for: params), step: tree.firstStep, leaves: leaves,
      scalarType: "\(Params.TangentVector.Scalar.self)", state: tree, parameters: values)
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
  ///   or what the state's decoding or ``Optimiser/validate(_:for:)`` reported
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
    guard Checkpoint.readableFormatVersions.contains(checkpoint.formatVersion) else {
      throw .unsupportedFormatVersion(found: checkpoint.formatVersion, readable: Checkpoint.readableFormatVersions)
    }
    if checkpoint.formatVersion >= 1 {
      // Version 1 always records these; a checkpoint without them was damaged.
      guard checkpoint.optimiser != nil, checkpoint.leaves != nil, checkpoint.scalarType != nil else {
        throw .corrupt(
          "a format version \(checkpoint.formatVersion) checkpoint must record the optimiser, the leaves and the scalar type")
      }
    }
    if let impossible = checkpoint.state.firstImpossibleCount {
      throw .invalidState(.invalidState(
        "counter \(impossible) is negative or above 2^53, which no run reaches (the next step could overflow); the checkpoint was damaged or edited"))
    }
    if let step = checkpoint.step, step != checkpoint.state.firstStep {
      throw .corrupt("the checkpoint says step \(step), its state \(checkpoint.state.firstStep.map(String.init) ?? "none")")
    }
    if let recorded = checkpoint.optimiser {
      let mine = OptimiserDescription(describing: self, for: params)
      if let difference = mine.firstDifference(from: recorded, compareValues: hyperparameters == .mustMatch) {
        throw difference
      }
    }
    try checkpoint.checkLeaves(of: params)
    if checkpoint.formatVersion < 2, let fresh = try? StateTree(encoding: initialState(for: params)),
      let difference = RecordedSelections.difference(fresh: fresh, saved: checkpoint.state, path: "")
    {
      // Versions 0 and 1 did not record selections in the description: compare
      // the leaf lists and masks the saved state carries.
      throw difference
    }
    try PoisonedValues.checkState(of: checkpoint, names: params, acceptingNonFinite: nonFiniteValues == .accept)
    if nonFiniteValues == .reject { try PoisonedValues.checkParameters(of: checkpoint, names: params) }
    let state: State
    do {
      state = try checkpoint.state.decode(State.self)
    } catch {
      throw .undecodableState("\(error)")
    }
    do { try validate(state, for: params) } catch { throw .invalidState(error) }
    return state
  }
}
