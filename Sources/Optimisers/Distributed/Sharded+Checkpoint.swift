extension Sharded {
  /// Every rank's share merged into the checkpoint a single process would
  /// write: the rule's state for the whole model, described as the rule. A
  /// collective call: every rank calls it and every rank gets the checkpoint
  /// (write it from one rank).
  ///
  /// Each rank's own shard is saved with the ordinary
  /// ``StatefulOptimiser/checkpoint(_:for:includingParameters:)`` (it then restores only
  /// on the same rank of the same number of ranks); a consolidated checkpoint
  /// restores into any number of ranks with ``restore(consolidated:for:hyperparameters:nonFiniteValues:)``,
  /// and into the unsharded rule with ``StatefulOptimiser/restore(from:for:hyperparameters:nonFiniteValues:)``.
  ///
  /// - Parameters:
  ///   - state: This rank's state.
  ///   - params: The parameters (the same on every rank).
  ///   - includingParameters: Whether to save the parameter values too.
  /// - Throws: ``CheckpointError/invalidState(_:)`` when the state does not
  ///   fit, or the ranks' states disagree where they must agree (a step count);
  ///   ``CheckpointError/unencodableState(_:)`` when encoding fails.
  /// - Complexity: O(*n*) per rank, plus an all-gather of every rank's encoded
  ///   share (4 bytes per `Double` of the exchange).
  public func consolidatedCheckpoint(
    _ state: State, for params: Params, includingParameters: Bool = false
  ) throws(CheckpointError) -> Checkpoint {
    do { try validate(state, for: params) } catch { throw .invalidState(error) }
    let mine: StateTree
    do { mine = try StateTree(encoding: state.shard) } catch { throw .unencodableState("\(error)") }
    let trees = try exchange(mine)
    let full: StateTree
    do {
      full = try ShardTrees.merge(trees, probes: probes(params), layout: state.layout, leafShapes: params.parameterLeafShapes)
    } catch {
      throw .invalidState(.invalidState("the ranks' shards do not consolidate: \(error.message)"))
    }
    let whole = wholeGroup(params)
    let decoded: Rule.State
    do { decoded = try full.decode(Rule.State.self) } catch { throw .undecodableState("\(error)") }
    return try rule.checkpoint(decoded, for: whole, includingParameters: includingParameters)
  }

  /// This rank's share of a consolidated (or single-process) checkpoint,
  /// re-sharded for this collective's number of ranks.
  ///
  /// The checkpoint is checked exactly as the unsharded rule's
  /// ``StatefulOptimiser/restore(from:for:hyperparameters:nonFiniteValues:)`` checks it
  /// (format, rule, hyperparameters, leaves, poisoned values), with the same
  /// messages; then this rank's pieces are cut from it.
  ///
  /// - Parameters:
  ///   - checkpoint: A checkpoint from ``consolidatedCheckpoint(_:for:includingParameters:)``
  ///     or from the unsharded rule in one process.
  ///   - params: The parameters.
  ///   - hyperparameters: Whether hyperparameter values must match.
  ///   - nonFiniteValues: Whether NaN and ±∞ are refused.
  /// - Throws: ``CheckpointError`` naming the first difference.
  /// - Complexity: O(*n*); no communication.
  public func restore(
    consolidated checkpoint: Checkpoint, for params: Params,
    hyperparameters: Checkpoint.HyperparameterPolicy = .mustMatch,
    nonFiniteValues: Checkpoint.NonFiniteValues = .reject
  ) throws(CheckpointError) -> State {
    let whole = wholeGroup(params)
    let full = try rule.restore(from: checkpoint, for: whole, hyperparameters: hyperparameters, nonFiniteValues: nonFiniteValues)
    let layout = layout(for: params)
    let shard: Rule.State
    do {
      let tree = try StateTree(encoding: full)
      let mine = try ShardTrees.split(
        tree, probes: probes(params), pieces: layout.pieces[collective.rank], leafShapes: params.parameterLeafShapes)
      shard = try mine.decode(Rule.State.self)
    } catch let error as ShardTrees.Mismatch {
      throw .invalidState(.invalidState("the checkpoint's state does not shard: \(error.message)"))
    } catch {
      throw .undecodableState("\(error)")
    }
    let state = State(rank: collective.rank, layout: layout, shard: shard)
    do { try validate(state, for: params) } catch { throw .invalidState(error) }
    return state
  }

  /// Every leaf of `params` as one group: what the unsharded rule trains.
  func wholeGroup(_ params: Params) -> LeafGroup<Params> {
    LeafGroup.gather(params, leaves: Array(0..<params.parameterLeafCount))
  }

  /// The rule's initial state for a group of one piece and of two: the arrays
  /// that grow from one entry to two hold one entry per piece.
  func probes(_ params: Params) throws(ShardTrees.Mismatch) -> (StateTree, StateTree) {
    guard params.parameterLeafCount > 0 else { return (.null, .null) }
    do {
      return (
        try StateTree(encoding: rule.initialState(for: LeafGroup.gather(params, leaves: [0]))),
        try StateTree(encoding: rule.initialState(for: LeafGroup.gather(params, leaves: [0, 0]))))
    } catch {
      throw ShardTrees.Mismatch(message: "the rule's state does not encode: \(error)")
    }
  }

  /// Every rank's tree, in rank order, through the collective: each tree's
  /// encoded bytes, four to a `Double` (exact).
  func exchange(_ tree: StateTree) throws(CheckpointError) -> [StateTree] {
    let bytes = Checkpoint(optimiser: nil, step: nil, leaves: nil, scalarType: nil, state: tree).encoded()
    var packed = [Double](repeating: 0, count: (bytes.count + 3) / 4)
    for (index, byte) in bytes.enumerated() { packed[index / 4] += Double(UInt32(byte) << (8 * UInt32(index % 4))) }
    let ranks = collective.size
    var lengths = [Double](repeating: 0, count: 2 * ranks)
    [Double(packed.count), Double(bytes.count)].withUnsafeBufferPointer { local in
      lengths.withUnsafeMutableBufferPointer { collective.allGather(local, counts: [Int](repeating: 2, count: ranks), into: $0) }
    }
    let counts = (0..<ranks).map { Int(lengths[2 * $0]) }
    var all = [Double](repeating: 0, count: counts.reduce(0, +))
    packed.withUnsafeBufferPointer { local in all.withUnsafeMutableBufferPointer { collective.allGather(local, counts: counts, into: $0) } }
    var trees: [StateTree] = []
    var offset = 0
    for rank in 0..<ranks {
      let byteCount = Int(lengths[2 * rank + 1])
      let rankBytes = (0..<byteCount).map { UInt8(truncatingIfNeeded: UInt32(all[offset + $0 / 4]) >> (8 * UInt32($0 % 4))) }
      trees.append(try Checkpoint(decoding: rankBytes).state)
      offset += counts[rank]
    }
    return trees
  }
}
