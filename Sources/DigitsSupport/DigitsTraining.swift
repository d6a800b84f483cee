import Optimisers

/// A training run of ``DigitsNetwork`` by one optimiser: the model, the
/// optimiser's state and the per-epoch history, advanced one epoch of seeded
/// mini-batches at a time, saved and resumed bit for bit.
///
/// Everything random is derived from seeds and counters (the batch order from
/// the epoch, dropout masks from the step), and the optimiser's state carries
/// its step count, so a run resumed from ``savedBytes()`` after any epoch ends
/// with exactly the parameters of an uninterrupted run.
public struct DigitsTraining<Rule: Optimiser> where Rule.Params == DigitsNetwork {
  /// The optimiser.
  public let rule: Rule
  /// The network being trained.
  public var model: DigitsNetwork
  /// The optimiser's state.
  public var state: Rule.State
  /// One record per finished epoch.
  public private(set) var history: [EpochRecord] = []
  /// How the training set is cut into batches.
  public let batching: MiniBatches

  /// The number of finished epochs.
  public var epoch: Int { history.count }

  /// A run from a fresh model.
  ///
  /// - Parameters:
  ///   - rule: The optimiser.
  ///   - model: The initial network.
  ///   - batching: The training set's batching (its count must be the training
  ///     set's size).
  public init(rule: Rule, model: DigitsNetwork, batching: MiniBatches) {
    self.rule = rule
    self.model = model
    self.state = rule.initialState(for: model)
    self.batching = batching
  }

  /// Trains one epoch and evaluates on the held-out set.
  ///
  /// - Parameters:
  ///   - training: The training set (``batching``'s count images).
  ///   - test: The held-out set.
  ///   - afterBatch: Called after each update with the batch number (from 1),
  ///     the batches per epoch and the batch's loss (for a progress bar or a
  ///     per-update loss curve).
  /// - Returns: The epoch's record, also appended to ``history``.
  @discardableResult
  public mutating func runEpoch(
    on training: DigitsDataset, testingOn test: DigitsDataset, afterBatch: (Int, Int, Double) -> Void = { _, _, _ in }
  ) -> EpochRecord {
    precondition(training.count == batching.count, "DigitsTraining: the batching is for \(batching.count) images, not \(training.count)")
    let batches = batching.batches(epoch: epoch)
    var totalLoss = 0.0
    for (number, indices) in batches.enumerated() {
      let step = UInt64(epoch * batches.count + number)
      let x = training.images.rows(at: indices)
      let labels = indices.map { training.labels[$0] }
      let dropoutSeed = batching.seed ^ (step &* 0x9E37_79B9_7F4A_7C15)
      let (loss, gradient) = valueWithGradient(at: model) { $0.loss(x, labels, dropoutSeed: dropoutSeed) }
      totalLoss += loss * Double(indices.count)
      rule.update(&state, &model, gradient)
      afterBatch(number + 1, batches.count, loss)
    }
    let record = EpochRecord(trainingLoss: totalLoss / Double(Swift.max(training.count, 1)),
                             testAccuracy: model.accuracy(on: test))
    history.append(record)
    return record
  }

  /// The run as bytes: the history and a checkpoint of the optimiser's state
  /// with the parameters (see ``DigitsRunFile``).
  ///
  /// - Throws: ``CheckpointError`` if the state cannot be checkpointed.
  public func savedBytes() throws(CheckpointError) -> [UInt8] {
    DigitsRunFile.encode(history: history, checkpoint: try rule.checkpoint(state, for: model, includingParameters: true))
  }

  /// Replaces the model, state and history with those saved by ``savedBytes()``.
  ///
  /// Nothing changes unless every check passes: the file's framing and CRC, the
  /// checkpoint's rule, hyperparameters, leaves and state, and that its step
  /// count (when the rule keeps one) is the saved epochs' batches.
  ///
  /// - Throws: ``DigitsRunFileError`` naming what is wrong.
  public mutating func resume(from bytes: [UInt8]) throws(DigitsRunFileError) {
    let (savedHistory, checkpoint) = try DigitsRunFile.decode(bytes)
    var restoredModel = model
    let restoredState: Rule.State
    do {
      try checkpoint.restoreParameters(into: &restoredModel)
      restoredState = try rule.restore(from: checkpoint, for: restoredModel)
    } catch { throw .checkpoint(error) }
    if let step = checkpoint.step, step != savedHistory.count * batching.batchesPerEpoch {
      throw .corrupt("the checkpoint is at step \(step) but the history has \(savedHistory.count) epochs of \(batching.batchesPerEpoch) batches")
    }
    model = restoredModel
    state = restoredState
    history = savedHistory
  }
}
