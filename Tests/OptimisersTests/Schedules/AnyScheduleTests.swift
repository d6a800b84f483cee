import Foundation
import Optimisers
import Testing

/// Decodes an AnySchedule from JSON text, with `registry` when given.
func decodeSchedule(_ json: String, registry: ScheduleRegistry? = nil) throws -> AnySchedule {
  let decoder = JSONDecoder()
  if let registry { decoder.userInfo[ScheduleRegistry.userInfoKey] = registry }
  return try decoder.decode(AnySchedule.self, from: Data(json.utf8))
}

/// Whether two schedules give bit-identical values at steps 0…400.
func sameValues(_ a: some Schedule, _ b: some Schedule) -> Bool {
  (0...400).allSatisfy { a($0).bitPattern == b($0).bitPattern }
}

@Suite struct AnyScheduleTests {
  static let warmupConstantCosine = """
    {"kind": "joined", "boundaries": [20, 50], "parts": [
      {"kind": "linearSchedule", "initial": 0, "end": 0.1, "transitionSteps": 20, "transitionBegin": 0},
      {"kind": "constant", "value": 0.1},
      {"kind": "cosineDecay", "initial": 0.1, "decaySteps": 150, "alpha": 0.001, "exponent": 1}]}
    """

  @Test func decodesMixedJoinWithoutNamingATypeAndMatchesTheStaticNesting() throws {
    let decoded = try decodeSchedule(Self.warmupConstantCosine)
    #expect(decoded.kind == "joined")
    let nested = Followed(
      LinearSchedule(initial: 0, end: 0.1, transitionSteps: 20),
      Followed(Constant(value: 0.1), CosineDecay(initial: 0.1, decaySteps: 150, alpha: 0.001), at: 30), at: 20)
    #expect(sameValues(decoded, nested))
    #expect(decoded.checkedSteps.contains(20) && decoded.checkedSteps.contains(200))
  }

  @Test func everyStandardKindRoundTripsThroughItsTag() throws {
    let cosine = AnySchedule(CosineDecay(initial: 0.1, decaySteps: 100, alpha: 0.1, exponent: 2))
    let cyclic = Cyclic(base: 0.01, maximum: 0.1, stepSizeUp: 10, mode: .exponentialRange(gamma: 0.99))
    let schedules: [AnySchedule] = [
      AnySchedule(Constant(value: 0.3)),
      AnySchedule(CosineAnnealing(initial: 0.1, maximumSteps: 30, minimum: 0.01)),
      AnySchedule(CosineAnnealingWarmRestarts(initial: 0.1, period: 10, periodMultiplier: 2)),
      cosine,
      AnySchedule(cyclic),
      AnySchedule(ExponentialDecay(initial: 0.1, transitionSteps: 5, decayRate: 0.9, staircase: true, limit: 0.01)),
      AnySchedule(Interpolated(knots: [(0, 0), (10, 1), (50, 0.1)], interpolation: .cosine)),
      AnySchedule(InverseDecay(initial: 0.1, decay: 0.01)),
      AnySchedule(LinearSchedule(initial: 0, end: 0.1, transitionSteps: 50, transitionBegin: 5)),
      AnySchedule(OneCycle(peak: 0.1, totalSteps: 100, annealing: .linear, threePhase: true)),
      AnySchedule(PiecewiseConstant(initial: 0.1, boundaries: [10, 20], scales: [0.5, 0.1])),
      AnySchedule(PolynomialDecay(initial: 0.1, end: 0.01, exponent: 2, transitionSteps: 50)),
      AnySchedule(ReduceOnPlateau(factor: 0.5).advanced(with: 1).advanced(with: 2)),
      AnySchedule(StepDecay(initial: 0.1, factor: 0.5, stepSize: 30)),
      AnySchedule(SWALR(initial: 0.1, swaRate: 0.02, annealSteps: 7, annealing: .linear)),
      AnySchedule(WarmupCosine(peak: 0.1, warmupSteps: 10, decaySteps: 100)),
      AnySchedule(Joined([cosine, AnySchedule(cyclic)], boundaries: [50])),
      AnySchedule(Chained([cosine, AnySchedule(cyclic), AnySchedule(Constant(value: 2))])),
      AnySchedule(Followed(cosine, AnySchedule(Constant(value: 0.01)), at: 100)),
      AnySchedule(Warmup(cosine, steps: 10, initial: 0.01)),
      AnySchedule(Product(cosine, AnySchedule(cyclic))),
      AnySchedule(Sum(cosine, AnySchedule(Constant(value: 1e-4)))),
      AnySchedule(Scaled(cosine, by: 0.5)),
      AnySchedule(Shifted(cosine, by: 7)),
      AnySchedule(Looped(cosine, period: 40)),
      AnySchedule(Clamped(cosine, to: 0.02...0.05)),
    ]
    #expect(Set(schedules.map(\.kind)) == Set(ScheduleRegistry.standard.kinds))
    for schedule in schedules {
      let data = try JSONEncoder().encode(schedule)
      let decoded = try JSONDecoder().decode(AnySchedule.self, from: data)
      #expect(decoded.kind == schedule.kind)
      #expect(sameValues(decoded, schedule), "\(schedule.kind) changed in a round trip")
      #expect(decoded.checkedSteps == schedule.checkedSteps)
    }
  }

  @Test func wrappingTwiceKeepsOneTag() {
    let schedule = AnySchedule(AnySchedule(Constant(value: 1)))
    #expect(schedule.kind == "constant" && schedule.base is Constant)
    #expect(AnySchedule(Constant(value: 1), kind: "flat").kind == "flat")
  }

  /// `Halving` (declared with the SchedulesGuide snippets) is a user's
  /// schedule, unknown to the package.
  @Test func userSchedulesDecodeThroughARegistryInUserInfo() throws {
    let registry = ScheduleRegistry.standard.registering(Halving.self, as: "halving")
    #expect(registry.kind(of: Halving.self) == "halving" && ScheduleRegistry.standard.kind(of: Halving.self) == nil)
    let json = """
      {"kind": "joined", "boundaries": [10], "parts": [
        {"kind": "constant", "value": 0.2}, {"kind": "halving", "initial": 0.1, "every": 25}]}
      """
    let decoded = try decodeSchedule(json, registry: registry)
    #expect(sameValues(decoded, Followed(Constant(value: 0.2), Halving(initial: 0.1, every: 25), at: 10)))
    // Encoded with the user's tag, it decodes back with the same registry.
    let user = AnySchedule(Halving(initial: 0.1, every: 25), kind: "halving")
    let again = try decodeSchedule(String(decoding: try JSONEncoder().encode(user), as: UTF8.self), registry: registry)
    #expect(sameValues(again, user))
    // Without the registry the kind is unknown, and the error says how to add it.
    do {
      _ = try decodeSchedule(json)
      Issue.record("decoded an unregistered kind")
    } catch let DecodingError.dataCorrupted(context) {
      #expect(context.debugDescription.contains("\"halving\"") && context.debugDescription.contains("registering"))
      #expect(context.debugDescription.contains("cosineDecay"))
    }
    // An empty registry knows nothing.
    #expect(throws: DecodingError.self) { try decodeSchedule(#"{"kind": "constant", "value": 1}"#, registry: ScheduleRegistry()) }
  }

  @Test func badDataIsAnErrorNotAWrongSchedule() {
    let bad = [
      #"{"value": 1}"#,  // no kind
      #"{"kind": "cosineDecay", "initial": 0.1, "decaySteps": 0, "alpha": 0, "exponent": 1}"#,  // 0/0
      #"{"kind": "joined", "boundaries": [10, 5], "parts": [{"kind": "constant", "value": 1}, {"kind": "constant", "value": 2}, {"kind": "constant", "value": 3}]}"#,
      #"{"kind": "joined", "boundaries": [10], "parts": [{"kind": "constant", "value": 1}]}"#,
      #"{"kind": "joined", "boundaries": [], "parts": []}"#,
      #"{"kind": "chained", "factors": []}"#,
      #"{"kind": "interpolated", "steps": [0, 10], "values": [1], "interpolation": "linear"}"#,
      #"{"kind": "interpolated", "steps": [], "values": [], "interpolation": "linear"}"#,
      #"{"kind": "interpolated", "steps": [10, 0], "values": [1, 2], "interpolation": "linear"}"#,
      #"{"kind": "cyclic", "base": 0.1, "maximum": 1, "stepSizeUp": 0, "stepSizeDown": 0, "mode": {"triangular": {}}}"#,
      #"{"kind": "warmup", "steps": 5, "initial": 0, "base": {"kind": "nope"}}"#,
      #"{"kind": "swalr", "initial": 0.1, "swaRate": 0.05, "annealSteps": -1, "annealing": "cosine"}"#,
      #"{"kind": "swalr", "initial": 0.1, "swaRate": 0.05, "annealSteps": 3, "annealing": "cos"}"#,
    ]
    for json in bad {
      #expect(throws: DecodingError.self, "\(json)") { try decodeSchedule(json) }
    }
  }

  /// A rule scheduled from data checkpoints its step, and a run resumed with
  /// the schedule decoded again continues exactly.
  @Test func scheduledFromDataResumesFromACheckpoint() throws {
    let schedule = try decodeSchedule(Self.warmupConstantCosine)
    let optimiser = Scheduled(Adam<Tensor<Double>>(), \.learningRate, by: schedule)
    let gradients = randomGradients(Double.self, shape: [3, 4], steps: 90, seed: 31)
    let start = Tensor<Double>(randomNormal: [3, 4], seed: 5)
    let whole = run(optimiser, from: start, gradients: gradients)

    var params = start
    var state = optimiser.initialState(for: start)
    for gradient in gradients.prefix(40) { optimiser.update(&state, &params, gradient) }
    let bytes = try optimiser.checkpoint(state, for: params).encoded()
    let resumedOptimiser = Scheduled(Adam<Tensor<Double>>(), \.learningRate, by: try decodeSchedule(Self.warmupConstantCosine))
    var resumed = try resumedOptimiser.restore(from: Checkpoint(decoding: bytes), for: params)
    #expect(resumed.step == 40)
    for gradient in gradients.dropFirst(40) { resumedOptimiser.update(&resumed, &params, gradient) }
    #expect(params.bitPatternsEqual(whole.params))

    // The statically typed nesting gives the same trajectory.
    let nested = Followed(
      LinearSchedule(initial: 0, end: 0.1, transitionSteps: 20),
      Followed(Constant(value: 0.1), CosineDecay(initial: 0.1, decaySteps: 150, alpha: 0.001), at: 30), at: 20)
    #expect(run(Scheduled(Adam<Tensor<Double>>(), \.learningRate, by: nested), from: start, gradients: gradients)
      .params.bitPatternsEqual(whole.params))

    // A different schedule is a different optimiser to restore into.
    let other = Scheduled(Adam<Tensor<Double>>(), \.learningRate, by: AnySchedule(Constant(value: 0.1)))
    #expect(throws: CheckpointError.self) { try other.restore(from: Checkpoint(decoding: bytes), for: params) }
  }
}
