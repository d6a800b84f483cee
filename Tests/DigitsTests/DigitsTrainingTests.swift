import DigitsSupport
import Foundation
import Optimisers
import Testing

/// Resuming a run after any epoch ends with exactly the parameters of an
/// uninterrupted run, for every rule of the example, and the results do not
/// depend on the thread count.
@Suite struct DigitsTrainingTests {
  /// A small slice of the real data, so the debug suite stays fast.
  static let data: (training: DigitsDataset, test: DigitsDataset) = {
    let all = try! DigitsDataset(contentsOfFile: DigitsDataset.bundledPath)
    let (training, test) = all.split(seed: 3)
    return (training.subset(Array(0..<192)), test.subset(Array(0..<96)))
  }()

  func freshRun<Rule: Optimiser>(_ rule: Rule, dropout: Double = 0.2, modelSeed: UInt64 = 1) -> DigitsTraining<Rule>
  where Rule.Params == DigitsNetwork {
    DigitsTraining(rule: rule, model: DigitsNetwork(hidden: 12, dropout: dropout, seed: modelSeed),
                   batching: MiniBatches(count: Self.data.training.count, batchSize: 20, seed: 9))
  }

  func expectBitwiseEqual(_ a: DigitsNetwork, _ b: DigitsNetwork, sourceLocation: SourceLocation = #_sourceLocation) {
    for leaf in [\DigitsNetwork.hidden.weight, \.hidden.bias, \.output.weight, \.output.bias] {
      #expect(a[keyPath: leaf].bitPatternsEqual(b[keyPath: leaf]), "\(leaf) differs", sourceLocation: sourceLocation)
    }
  }

  /// Trains three epochs straight, and one epoch, saves to a file, resumes in a
  /// fresh run (with a differently initialised model) and trains two more.
  func checkResume<Rule: Optimiser>(_ rule: Rule) throws where Rule.Params == DigitsNetwork {
    var straight = freshRun(rule)
    for _ in 0..<3 { straight.runEpoch(on: Self.data.training, testingOn: Self.data.test) }

    var first = freshRun(rule)
    first.runEpoch(on: Self.data.training, testingOn: Self.data.test)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("digits-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("run").path
    try CheckpointFile.writeAtomically(try first.savedBytes(), to: path)

    var resumed = freshRun(rule, modelSeed: 77)
    try resumed.resume(from: try CheckpointFile.contents(ofFile: path))
    #expect(resumed.epoch == 1)
    expectBitwiseEqual(resumed.model, first.model)
    for _ in 0..<2 { resumed.runEpoch(on: Self.data.training, testingOn: Self.data.test) }
    expectBitwiseEqual(resumed.model, straight.model)
    #expect(resumed.history == straight.history)
    #expect(try resumed.savedBytes() == straight.savedBytes())
    // The run actually learned something, so the comparison is not of two
    // untouched models.
    #expect(straight.history[2].trainingLoss < straight.history[0].trainingLoss)
  }

  @Test func resumingMatchesAnUninterruptedRunForEveryRule() throws {
    try checkResume(Momentum<DigitsNetwork>(learningRate: 0.05, momentum: 0.9))
    try checkResume(Adam<DigitsNetwork>(learningRate: 3e-3))
    let steps = 3 * 10
    try checkResume(Scheduled(AdamW<DigitsNetwork>(learningRate: 3e-3, weightDecay: 1e-2), \.learningRate,
                              by: WarmupCosine(peak: 3e-3, warmupSteps: 10, decaySteps: steps)))
    try checkResume(Lion<DigitsNetwork>(learningRate: 1e-3))
  }

  @Test func resultsDoNotDependOnTheThreadCount() {
    let rule = Adam<DigitsNetwork>(learningRate: 3e-3)
    func trained(_ parallelism: Parallelism) -> DigitsTraining<Adam<DigitsNetwork>> {
      Parallelism.$current.withValue(parallelism) {
        var run = freshRun(rule)
        for _ in 0..<2 { run.runEpoch(on: Self.data.training, testingOn: Self.data.test) }
        return run
      }
    }
    let serial = trained(.serial)
    // Every step split into blocks of 64 scalars over up to four threads.
    let split = trained(Parallelism(maximumThreads: 4, minimumParallelScalars: 0, blockScalars: 64))
    expectBitwiseEqual(serial.model, split.model)
    #expect(serial.history == split.history)
  }

  @Test func aDamagedOrMismatchedRunFileIsRefusedAndNothingChanges() throws {
    var run = freshRun(Adam<DigitsNetwork>(learningRate: 3e-3))
    run.runEpoch(on: Self.data.training, testingOn: Self.data.test)
    let bytes = try run.savedBytes()
    let untouched = freshRun(Adam<DigitsNetwork>(learningRate: 3e-3))

    func expectRefused(_ bytes: [UInt8], mentioning words: String, into target: DigitsTraining<Adam<DigitsNetwork>>,
                       sourceLocation: SourceLocation = #_sourceLocation) {
      var copy = target
      do {
        try copy.resume(from: bytes)
        Issue.record("accepted a bad run file", sourceLocation: sourceLocation)
      } catch {
        #expect("\(error)".contains(words), "\(error)", sourceLocation: sourceLocation)
      }
      expectBitwiseEqual(copy.model, target.model, sourceLocation: sourceLocation)
      #expect(copy.epoch == target.epoch, sourceLocation: sourceLocation)
    }
    expectRefused(Array("not a run".utf8), mentioning: "magic", into: untouched)
    var flipped = bytes
    flipped[14] ^= 0x40  // inside the first epoch's loss
    expectRefused(flipped, mentioning: "CRC-32", into: untouched)
    expectRefused(Array(bytes.prefix(20)), mentioning: "cannot hold", into: untouched)
    // Another rule, or other hyperparameters, cannot resume this run.
    var lion = freshRun(Lion<DigitsNetwork>(learningRate: 1e-3))
    do {
      try lion.resume(from: bytes)
      Issue.record("Lion resumed Adam's run")
    } catch {
      #expect("\(error)".contains("checkpoint"))
    }
    expectRefused(bytes, mentioning: "checkpoint", into: freshRun(Adam<DigitsNetwork>(learningRate: 1e-3)))
  }

  @Test func adamReachesTheTargetOnTheFullSet() throws {
    // The example's default settings, shortened: Adam passes 95 % held-out
    // accuracy within ten epochs (the figure `swift run digits` prints).
    let all = try DigitsDataset(contentsOfFile: DigitsDataset.bundledPath)
    let (training, test) = all.split(seed: 1)
    var run = DigitsTraining(rule: Adam<DigitsNetwork>(learningRate: 3e-3), model: DigitsNetwork(seed: 1),
                             batching: MiniBatches(count: training.count, batchSize: 32, seed: 2))
    for _ in 0..<10 { run.runEpoch(on: training, testingOn: test) }
    #expect(run.history.last!.testAccuracy >= 0.95, "\(run.history)")
    #expect(EpochRecord.epochsToAccuracy(0.95, in: run.history) != nil)
  }

  @Test func epochsToAccuracyCountsFromTheLastCrossing() {
    let history = [0.90, 0.96, 0.94, 0.95, 0.97].map { EpochRecord(trainingLoss: 1, testAccuracy: $0) }
    #expect(EpochRecord.epochsToAccuracy(0.95, in: history) == 4)
    #expect(EpochRecord.epochsToAccuracy(0.98, in: history) == nil)
  }

  @Test func theFigureHasOneCurvePerRunAndEscapesNames() {
    let history = [EpochRecord(trainingLoss: 2, testAccuracy: 0.5), EpochRecord(trainingLoss: 0.1, testAccuracy: 0.97)]
    let svg = LearningCurvesFigure(title: "t", curves: [.init(name: "A<B", history: history), .init(name: "C", history: history)]).svg
    #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
    #expect(svg.components(separatedBy: "<polyline").count - 1 == 4)  // two panels × two runs
    #expect(svg.contains("A&lt;B") && !svg.contains("A<B"))
  }

  @Test func decimalsRoundWithoutFoundation() {
    #expect(decimal(0.12345, digits: 3) == "0.123")
    #expect(decimal(-1.5, digits: 0) == "-2")
    #expect(decimal(-0.0001, digits: 2) == "0.00")
    #expect(decimal(2, digits: 2) == "2.00")
    #expect(decimal(1.005, digits: 1) == "1.0")
  }
}
