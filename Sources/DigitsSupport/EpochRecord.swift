/// What one epoch of training achieved.
public struct EpochRecord: Sendable, Equatable {
  /// The mean cross-entropy over the epoch's mini-batches, each weighted by its
  /// size (measured before each batch's update, as PyTorch loops report it).
  public var trainingLoss: Double
  /// The fraction of the held-out images classified correctly after the epoch.
  public var testAccuracy: Double

  /// Creates a record.
  public init(trainingLoss: Double, testAccuracy: Double) {
    self.trainingLoss = trainingLoss
    self.testAccuracy = testAccuracy
  }
}

extension EpochRecord {
  /// The number of epochs after which the held-out accuracy reached `target`
  /// and stayed at or above it to the end of `history`, or `nil` if the last
  /// epoch is below it.
  public static func epochsToAccuracy(_ target: Double, in history: [EpochRecord]) -> Int? {
    var reached: Int?
    for (epoch, record) in history.enumerated() {
      if record.testAccuracy < target { reached = nil } else if reached == nil { reached = epoch + 1 }
    }
    return reached
  }
}
