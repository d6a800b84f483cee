import Foundation
import Optimisers
import Testing

/// One case of `Tests/Fixtures/schedules.json`: the Swift schedule decoded from
/// its recorded Codable parameters, and the reference values at steps 0…200.
struct ScheduleFixtureCase: Decodable, CustomTestStringConvertible, Sendable {
  let name: String
  let library: String
  let reference: String
  let swiftType: String
  let schedule: any Schedule
  let values: [Double]
  let metrics: [Double]?

  var testDescription: String { "\(library) \(name)" }

  enum CodingKeys: String, CodingKey { case name, library, reference, swiftType, swift, values, metrics }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    name = try container.decode(String.self, forKey: .name)
    library = try container.decode(String.self, forKey: .library)
    reference = try container.decode(String.self, forKey: .reference)
    swiftType = try container.decode(String.self, forKey: .swiftType)
    values = try container.decode([Double].self, forKey: .values)
    metrics = try container.decodeIfPresent([Double].self, forKey: .metrics)
    func decode<S: Schedule>(_ type: S.Type) throws -> any Schedule {
      try container.decode(S.self, forKey: .swift)
    }
    switch swiftType {
    case "StepDecay": schedule = try decode(StepDecay.self)
    case "PiecewiseConstant": schedule = try decode(PiecewiseConstant.self)
    case "ExponentialDecay": schedule = try decode(ExponentialDecay.self)
    case "PolynomialDecay": schedule = try decode(PolynomialDecay.self)
    case "LinearSchedule": schedule = try decode(LinearSchedule.self)
    case "CosineDecay": schedule = try decode(CosineDecay.self)
    case "CosineAnnealingWarmRestarts": schedule = try decode(CosineAnnealingWarmRestarts.self)
    case "Warmup<ExponentialDecay>": schedule = try decode(Warmup<ExponentialDecay>.self)
    case "WarmupCosine": schedule = try decode(WarmupCosine.self)
    case "OneCycle": schedule = try decode(OneCycle.self)
    case "Cyclic": schedule = try decode(Cyclic.self)
    case "Joined<CosineDecay>": schedule = try decode(Joined<CosineDecay>.self)
    case "Joined<WarmupCosine>": schedule = try decode(Joined<WarmupCosine>.self)
    case "Followed<LinearSchedule, ExponentialDecay>":
      schedule = try decode(Followed<LinearSchedule, ExponentialDecay>.self)
    case "Followed<LinearSchedule, Followed<CosineDecay, Constant>>":
      schedule = try decode(Followed<LinearSchedule, Followed<CosineDecay, Constant>>.self)
    case "Interpolated": schedule = try decode(Interpolated.self)
    case "ReduceOnPlateau": schedule = try decode(ReduceOnPlateau.self)
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .swiftType, in: container, debugDescription: "unknown Swift schedule \(swiftType)")
    }
  }

  /// The Swift values at steps 0…200: the schedule at each step, or, for a
  /// plateau, its value after the first k metrics.
  func swiftValues() -> [Double] {
    if let metrics, var plateau = schedule as? ReduceOnPlateau {
      var out = [plateau(0)]
      for metric in metrics.prefix(values.count - 1) {
        plateau.advance(with: metric)
        out.append(plateau(out.count))
      }
      return out
    }
    return values.indices.map { schedule($0) }
  }
}

struct ScheduleFixtureFile: Decodable {
  let steps: Int
  let cases: [ScheduleFixtureCase]
}

let scheduleFixtures: [ScheduleFixtureCase] = {
  do {
    return try Fixtures.load(ScheduleFixtureFile.self, from: "schedules.json").cases
  } catch {
    fatalError("cannot read schedules.json: \(error)")
  }
}()

@Suite struct ScheduleFixtureTests {
  @Test func fixtureCoversEveryReference() {
    let references = Set(scheduleFixtures.map(\.reference))
    #expect(references.count == scheduleFixtures.count)
    for name in [
      "exponential_decay", "polynomial_schedule", "linear_schedule", "cosine_decay_schedule",
      "warmup_cosine_decay_schedule", "warmup_exponential_decay_schedule", "piecewise_constant_schedule",
      "join_schedules", "cosine_onecycle_schedule", "linear_onecycle_schedule", "sgdr_schedule",
      "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts",
      "'triangular'", "'triangular2'", "'exp_range'", "OneCycleLR", "three_phase=True", "LinearLR",
      "PolynomialLR", "SequentialLR", "ReduceLROnPlateau",
    ] {
      #expect(references.contains { $0.contains(name) }, "no fixture case calls \(name)")
    }
    #expect(scheduleFixtures.allSatisfy { $0.values.count == 201 })
  }

  /// Every schedule agrees with its reference to 1e-12 relative at steps 0…200.
  @Test(arguments: scheduleFixtures)
  func agreesWithReference(_ fixture: ScheduleFixtureCase) {
    let swift = fixture.swiftValues()
    #expect(swift.count == fixture.values.count)
    var worst = 0.0, worstStep = 0
    for (step, (ours, theirs)) in zip(swift, fixture.values).enumerated() {
      let difference = relativeDifference(ours, theirs)
      if !(difference <= worst) { worst = difference; worstStep = step }
    }
    #expect(worst <= 1e-12,
            "\(fixture.reference): relative error \(worst) at step \(worstStep): \(swift[worstStep]) vs \(fixture.values[worstStep])")
  }
}
