/// A schedule of any type, decodable from data that names its kind: the
/// schedule a configuration file describes.
///
/// Its `Codable` form is the wrapped schedule's keyed container with one more
/// key, `"kind"`, naming the type in a ``ScheduleRegistry``:
///
/// ```json
/// {"kind": "joined", "boundaries": [20, 50], "parts": [
///   {"kind": "linearSchedule", "initial": 0, "end": 0.1, "transitionSteps": 20, "transitionBegin": 0},
///   {"kind": "constant", "value": 0.1},
///   {"kind": "cosineDecay", "initial": 0.1, "decaySteps": 150, "alpha": 0.001, "exponent": 1}]}
/// ```
///
/// decodes with `JSONDecoder().decode(AnySchedule.self, from: data)` — no
/// concrete type named — and drives a rule like any schedule:
/// `Scheduled(adam, \.learningRate, by: schedule)`. The combinators over
/// `AnySchedule` parts (``Joined``, ``Chained``, ``Followed``, ``Warmup``,
/// ``Product``, …) join schedules of mixed types at the cost of one type, so a
/// client compiles one specialisation whatever the data holds.
///
/// Decoding checks that the schedule is finite at its
/// ``Schedule/checkedSteps`` and throws `DecodingError.dataCorrupted` otherwise
/// (a zero `decaySteps`, say), and throws for a kind the registry does not
/// know, listing the kinds it does. A ``Scheduled`` optimiser's checkpoint holds
/// the step count, not the schedule: save the schedule's JSON with the
/// configuration and decode both on resume.
///
/// - Complexity: Evaluation is one dynamically dispatched call of the wrapped
///   schedule; coding is the wrapped schedule's.
/// - References: PyTorch `SequentialLR`, `ChainedScheduler`; `optax.join_schedules`.
public struct AnySchedule: Schedule {
  /// The wrapped schedule.
  public let base: any Schedule
  /// The tag that names the wrapped type when encoded.
  public let kind: String

  private enum CodingKeys: String, CodingKey { case kind }

  /// Wraps `schedule`, tagged with `kind`.
  ///
  /// - Parameters:
  ///   - schedule: Any schedule; an `AnySchedule` is not wrapped twice.
  ///   - kind: The tag to encode; by default the kind ``ScheduleRegistry/standard``
  ///     gives the type, or else the type's name (register your type under the
  ///     same name to decode it back).
  /// - Complexity: O(1).
  public init<S: Schedule>(_ schedule: S, kind: String? = nil) {
    if let erased = schedule as? AnySchedule, kind == nil {
      self = erased
      return
    }
    self.base = schedule
    self.kind = kind ?? ScheduleRegistry.standard.kind(of: S.self) ?? String(describing: S.self)
  }

  /// The wrapped schedule's value.
  ///
  /// - Parameter step: t.
  /// - Complexity: One evaluation of the wrapped schedule.
  @inlinable public func callAsFunction(_ step: Int) -> Double { base(step) }

  /// The wrapped schedule's steps.
  ///
  /// - Complexity: The wrapped schedule's.
  public var checkedSteps: [Int] { base.checkedSteps }

  /// Decodes the schedule named by the `"kind"` key, with the registry in the
  /// decoder's `userInfo` under ``ScheduleRegistry/userInfoKey`` (or
  /// ``ScheduleRegistry/standard``).
  ///
  /// - Throws: `DecodingError` for a missing or unknown kind, for the wrapped
  ///   type's own errors, and for a schedule that is not finite at one of its
  ///   checked steps.
  /// - Complexity: The wrapped type's decoding, plus its checked steps.
  public init(from decoder: any Decoder) throws {
    let registry = decoder.userInfo[ScheduleRegistry.userInfoKey] as? ScheduleRegistry ?? .standard
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let kind = try container.decode(String.self, forKey: .kind)
    guard let decode = registry.decoder(for: kind) else {
      throw DecodingError.dataCorruptedError(
        forKey: .kind, in: container,
        debugDescription: "unknown schedule kind \"\(kind)\"; the registry knows \(registry.kinds.joined(separator: ", ")) (add your own with ScheduleRegistry.registering(_:as:))")
    }
    let schedule = try decode(decoder)
    for step in schedule.checkedSteps where !schedule(step).isFinite {
      throw DecodingError.dataCorrupted(DecodingError.Context(
        codingPath: decoder.codingPath,
        debugDescription: "the \(kind) schedule is \(schedule(step)) at step \(step); check its parameters"))
    }
    self.base = schedule
    self.kind = kind
  }

  /// Encodes the wrapped schedule's keyed container and the `"kind"` key.
  ///
  /// - Throws: The wrapped schedule's encoding errors.
  /// - Complexity: The wrapped schedule's encoding.
  public func encode(to encoder: any Encoder) throws {
    try base.encode(to: encoder)
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(kind, forKey: .kind)
  }
}
