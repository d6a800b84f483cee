/// What ``Optimiser`` and ``ObjectiveOptimiser`` share to write and read a
/// ``Checkpoint``: the description, the leaves, the state tree, and on reading
/// every check in the documented order.
///
/// - Complexity: O(*n*) per call.
enum CheckpointCoding {
  /// A checkpoint of `state`, described by `optimiser`, for `params`.
  static func checkpoint<P: Differentiable, State: Encodable>(
    _ state: State, describing optimiser: Any, for params: P, includingParameters: Bool,
    validate: () throws(OptimiserError) -> Void
  ) throws(CheckpointError) -> Checkpoint {
    do { try validate() } catch { throw .invalidState(error) }
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
      optimiser: OptimiserDescription(describing: optimiser, for: params), step: tree.firstStep, leaves: leaves,
      scalarType: "\(P.TangentVector.Scalar.self)", state: tree, parameters: values)
  }

  /// The state saved in `checkpoint`, checked against `optimiser`'s
  /// description and `params`, then decoded and validated.
  static func restore<P: Differentiable, State: Codable>(
    _: State.Type, from checkpoint: Checkpoint, describing optimiser: Any, for params: P,
    initialState: () -> State, hyperparameters: Checkpoint.HyperparameterPolicy,
    nonFiniteValues: Checkpoint.NonFiniteValues, validate: (State) throws(OptimiserError) -> Void
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
      let mine = OptimiserDescription(describing: optimiser, for: params)
      if let difference = mine.firstDifference(from: recorded, compareValues: hyperparameters == .mustMatch) {
        throw difference
      }
    }
    try checkpoint.checkLeaves(of: params)
    if checkpoint.formatVersion < 2, let fresh = try? StateTree(encoding: initialState()),
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
    do { try validate(state) } catch { throw .invalidState(error) }
    return state
  }
}
