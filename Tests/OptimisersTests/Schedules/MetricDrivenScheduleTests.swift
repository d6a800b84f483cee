import Foundation
import Optimisers
import Testing

/// A ``ReduceOnPlateau`` held inside schedules decoded from data advances with
/// each metric (``MetricDriven``) and reproduces torch's `ReduceLROnPlateau`
/// traces of `schedules.json`.
@Suite struct MetricDrivenScheduleTests {
  static let plateauCases = scheduleFixtures.filter { $0.swiftType == "ReduceOnPlateau" }

  /// The plateau's JSON, as a configuration file would hold it (with its kind).
  static func plateauJSON(_ fixture: ScheduleFixtureCase) throws -> String {
    let plateau = try #require(fixture.schedule as? ReduceOnPlateau)
    return String(decoding: try JSONEncoder().encode(AnySchedule(plateau)), as: UTF8.self)
  }

  @Test func theFixturesHoldTorchPlateauTraces() {
    #expect(Self.plateauCases.count == 2)
    #expect(Self.plateauCases.allSatisfy { $0.reference.contains("ReduceLROnPlateau") && $0.metrics != nil })
  }

  /// `Scheduled(SGD, \.learningRate, by: decoded)` with the plateau as a
  /// factor of a product decoded from JSON: the optimiser's `advance(with:)`
  /// moves the rate as torch's scheduler does, and SGD steps by it.
  @Test(arguments: MetricDrivenScheduleTests.plateauCases)
  func aDecodedProductWithAPlateauFollowsTorch(_ fixture: ScheduleFixtureCase) throws {
    let json = """
      {"kind": "product", "first": {"kind": "constant", "value": 1}, "second": \(try Self.plateauJSON(fixture))}
      """
    let schedule = try decodeSchedule(json)
    var optimiser = Scheduled(SGD<Double>(learningRate: 1), \.learningRate, by: schedule)
    var state = optimiser.initialState(for: 0.0)
    let metrics = try #require(fixture.metrics)
    var worst = 0.0
    for (k, expected) in fixture.values.enumerated() {
      if k > 0 { optimiser.advance(with: metrics[k - 1]) }
      var parameter = 0.0
      optimiser.update(&state, &parameter, 1.0)  // 0 − ηₖ · 1 = −ηₖ exactly: the step uses the rate
      worst = max(worst, relativeDifference(-parameter, expected))
      worst = max(worst, relativeDifference(optimiser.schedule(k), expected))
    }
    #expect(worst <= 1e-12, "\(fixture.reference): relative error \(worst)")
    #expect(fixture.values.last! < fixture.values.first!, "the trace reduces at least once")
  }

  /// Every combinator forwards the metric; parts that do not depend on
  /// metrics are untouched, and the advanced plateau's state survives coding.
  @Test func everyCombinatorForwardsTheMetricAndCodingKeepsThePlateauState() throws {
    let plateau = AnySchedule(ReduceOnPlateau(initial: 1, factor: 0.5, patience: 0))
    let cosine = AnySchedule(CosineDecay(initial: 0.1, decaySteps: 100))
    let wrapped: [AnySchedule] = [
      plateau,
      AnySchedule(Product(cosine, plateau)), AnySchedule(Sum(cosine, plateau)),
      AnySchedule(Joined([cosine, plateau], boundaries: [10])), AnySchedule(Chained([cosine, plateau])),
      AnySchedule(Followed(cosine, plateau, at: 10)), AnySchedule(Warmup(plateau, steps: 5, initial: 0)),
      AnySchedule(Scaled(plateau, by: 2)), AnySchedule(Shifted(plateau, by: 3)),
      AnySchedule(Clamped(plateau, to: 0...10)), AnySchedule(Looped(plateau, period: 20)),
    ]
    for original in wrapped {
      var schedule = try JSONDecoder().decode(AnySchedule.self, from: JSONEncoder().encode(original))
      let at50 = schedule(50)
      schedule.advance(with: 1)  // the first metric is an improvement
      #expect(schedule(50) == at50, "\(original.kind)")
      schedule.advance(with: 1)  // no improvement, patience 0: the plateau halves
      #expect(schedule(50) != at50, "\(original.kind) did not reach its plateau")
      let restored = try JSONDecoder().decode(AnySchedule.self, from: JSONEncoder().encode(schedule))
      #expect(sameValues(restored, schedule), "\(original.kind) lost the plateau's state in coding")
    }
    var plain = AnySchedule(Product(cosine, AnySchedule(Constant(value: 2))))
    plain.advance(with: 1)
    plain.advance(with: 1)
    #expect(sameValues(plain, Product(cosine, Constant(value: 2))))
  }
}
