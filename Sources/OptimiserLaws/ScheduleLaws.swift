import Optimisers

/// Laws for any `Schedule` — the package's and yours — as properties over
/// generated steps, each failure shrunk to the smallest step that shows it.
///
/// ```swift
/// let report = ScheduleLaws.check(
///   MySchedule(), steps: 0...10_000, bounds: 0...1, monotonicity: .nonIncreasing)
/// precondition(report.passed, "\(report)")
/// ```
///
/// ``check(_:steps:bounds:monotonicity:configuration:)`` covers what every
/// schedule owes (determinism, a `Codable` round trip that keeps every value,
/// finite values) and what you declare (bounds, monotonicity). The
/// combinators have laws of their own: ``followed(_:maximumJump:steps:configuration:)``,
/// ``joined(_:maximumJump:steps:configuration:)``, ``looped(_:steps:configuration:)``,
/// ``shifted(_:steps:configuration:)``. Values are compared bitwise: a
/// schedule is a pure function, and the combinators only re-index it.
///
/// - Complexity: O(trials) evaluations per law, plus shrinking.
/// - References: Babuschkin et al., *optax* (`join_schedules`), 2020.
public enum ScheduleLaws: Sendable {
  /// The default configuration: 200 steps per law.
  public static let defaultConfiguration = PropertyConfiguration(trials: 200)

  static func steps(_ range: ClosedRange<Int>) -> Generator<Int> { .int(in: range) }

  static func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern }

  /// Determinism, `Codable` round trip, finite values over `steps`, and the
  /// declared `bounds` and `monotonicity`.
  ///
  /// - Parameters:
  ///   - schedule: Any schedule.
  ///   - range: The steps to draw from (the `steps:` argument); default `0...10_000`.
  ///   - bounds: Values must lie here, if given.
  ///   - monotonicity: The declared direction, if any.
  ///   - configuration: Default ``defaultConfiguration``.
  /// - Returns: One report per law.
  /// - Complexity: See ``ScheduleLaws``.
  public static func check<S: Schedule>(
    _ schedule: S, steps range: ClosedRange<Int> = 0...10_000, bounds: ClosedRange<Double>? = nil,
    monotonicity: ScheduleMonotonicity? = nil, configuration: PropertyConfiguration = defaultConfiguration
  ) -> ScheduleLawReport {
    var laws: [(name: String, report: PropertyReport<Int>)] = []
    laws.append(("determinism", Property.forAll(steps(range), configuration: configuration) { t in
      let copy = schedule
      try Property.require(same(schedule(t), schedule(t)) && same(schedule(t), copy(t)), "two evaluations at \(t) differ")
    }))
    let decoded = Result { try StateTree(encoding: schedule).decode(S.self) }
    laws.append(("codableRoundTrip", Property.forAll(steps(range), configuration: configuration) { t in
      let restored = try decoded.get()
      try Property.require(
        same(restored(t), schedule(t)), "after encoding and decoding, step \(t) gives \(restored(t)), not \(schedule(t))")
    }))
    laws.append(("finite", Property.forAll(steps(range), configuration: configuration) { t in
      try Property.require(schedule(t).isFinite, "step \(t) gives \(schedule(t))")
    }))
    if let bounds {
      laws.append(("bounds", Property.forAll(steps(range), configuration: configuration) { t in
        try Property.require(bounds.contains(schedule(t)), "step \(t) gives \(schedule(t)), outside \(bounds)")
      }))
    }
    if let monotonicity, range.count > 1 {
      let pairs = steps(range.lowerBound...(range.upperBound - 1))
      laws.append(("monotonicity", Property.forAll(pairs, configuration: configuration) { t in
        let (a, b) = (schedule(t), schedule(t + 1))
        let holds = monotonicity == .nonIncreasing ? b <= a : b >= a
        try Property.require(holds, "step \(t) gives \(a), step \(t + 1) gives \(b): not \(monotonicity)")
      }))
    }
    return ScheduleLawReport(schedule: "\(schedule)", laws: laws)
  }

  /// `first.followed(by: second, at: b)` is `first` before `b` and `second`
  /// restarted at `b`, bitwise; and at `b` it moves by at most `maximumJump`
  /// (0 for a continuous join, `.infinity` when a jump is declared).
  ///
  /// - Complexity: See ``ScheduleLaws``.
  public static func followed<A: Schedule, B: Schedule>(
    _ schedule: Followed<A, B>, maximumJump: Double = .infinity, steps range: ClosedRange<Int> = 0...10_000,
    configuration: PropertyConfiguration = defaultConfiguration
  ) -> ScheduleLawReport {
    joinLaws(
      "\(schedule)", schedule, boundaries: [schedule.boundary], maximumJump: maximumJump, range: range,
      configuration: configuration
    ) { t in t < schedule.boundary ? schedule.first(t) : schedule.second(t - schedule.boundary) }
  }

  /// `Joined(parts, boundaries:)` is part i restarted at boundary i − 1,
  /// bitwise; and at each boundary it moves by at most `maximumJump`.
  ///
  /// - Complexity: See ``ScheduleLaws``.
  public static func joined<P: Schedule>(
    _ schedule: Joined<P>, maximumJump: Double = .infinity, steps range: ClosedRange<Int> = 0...10_000,
    configuration: PropertyConfiguration = defaultConfiguration
  ) -> ScheduleLawReport {
    joinLaws(
      "\(schedule)", schedule, boundaries: schedule.boundaries, maximumJump: maximumJump, range: range,
      configuration: configuration
    ) { t in
      guard let index = schedule.boundaries.lastIndex(where: { $0 <= t }) else { return schedule.parts[0](t) }
      return schedule.parts[index + 1](t - schedule.boundaries[index])
    }
  }

  static func joinLaws<S: Schedule>(
    _ name: String, _ schedule: S, boundaries: [Int], maximumJump: Double, range: ClosedRange<Int>,
    configuration: PropertyConfiguration, reference: @escaping (Int) -> Double
  ) -> ScheduleLawReport {
    var laws: [(name: String, report: PropertyReport<Int>)] = []
    let near = Generator<Int>.oneOf([steps(range), Generator.element(of: boundaries).flatMap { b in .int(in: (b - 2)...(b + 1)) }])
    laws.append(("pieces", Property.forAll(near, configuration: configuration) { t in
      try Property.require(same(schedule(t), reference(t)), "step \(t) gives \(schedule(t)), the piece gives \(reference(t))")
    }))
    laws.append(("boundaryJump", Property.forAll(Generator.element(of: boundaries), configuration: configuration) { b in
      let jump = (schedule(b) - schedule(b - 1)).magnitude
      try Property.require(jump <= maximumJump, "at boundary \(b) the value jumps by \(jump) > \(maximumJump)")
    }))
    return ScheduleLawReport(schedule: name, laws: laws)
  }

  /// `base.looped(period: p)` repeats: s(t + p) = s(t) = base(t mod p), bitwise.
  ///
  /// - Complexity: See ``ScheduleLaws``.
  public static func looped<B: Schedule>(
    _ schedule: Looped<B>, steps range: ClosedRange<Int> = 0...10_000,
    configuration: PropertyConfiguration = defaultConfiguration
  ) -> ScheduleLawReport {
    let p = schedule.period
    return stepLaw("periodicity", of: schedule, steps: range, configuration: configuration) { t in
      try Property.require(same(schedule(t + p), schedule(t)), "step \(t + p) gives \(schedule(t + p)), step \(t) \(schedule(t))")
      try Property.require(same(schedule(t), schedule.base(t % p)), "step \(t) gives \(schedule(t)), base(\(t % p)) \(schedule.base(t % p))")
    }
  }

  /// `base.shifted(by: k)` is a translation: s(t) = base(max(t − k, 0)), bitwise.
  ///
  /// - Complexity: See ``ScheduleLaws``.
  public static func shifted<B: Schedule>(
    _ schedule: Shifted<B>, steps range: ClosedRange<Int> = 0...10_000,
    configuration: PropertyConfiguration = defaultConfiguration
  ) -> ScheduleLawReport {
    let k = schedule.offset
    return stepLaw("translation", of: schedule, steps: range, configuration: configuration) { t in
      let expected = schedule.base(Swift.max(t - k, 0))
      try Property.require(same(schedule(t), expected), "step \(t) gives \(schedule(t)), base(\(Swift.max(t - k, 0))) \(expected)")
    }
  }

  /// The report of one law, `check`, run over steps drawn from `range`.
  static func stepLaw(
    _ name: String, of schedule: some Schedule, steps range: ClosedRange<Int>, configuration: PropertyConfiguration,
    _ check: (Int) throws -> Void
  ) -> ScheduleLawReport {
    let law = Property.forAll(steps(range), configuration: configuration, check)
    return ScheduleLawReport(schedule: "\(schedule)", laws: [(name, law)])
  }
}
