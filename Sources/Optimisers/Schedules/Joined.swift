/// Several schedules of one type run one after another, switching at fixed
/// boundaries; each part sees the steps since its own boundary.
///
/// With parts s₀ … sₙ and boundaries b₁ < … < bₙ:
///
///     s(t) = s₀(t)            for t < b₁
///     s(t) = sᵢ(t − bᵢ)       for bᵢ ≤ t < bᵢ₊₁
///
/// A join with one part is that part. Matches `optax.join_schedules(schedules,
/// boundaries)`; optax's `sgdr_schedule` is a `Joined<WarmupCosine>`. To follow
/// one schedule by another of a different type, use ``Followed``.
///
/// - Complexity: O(log *n*) to find the part, plus one evaluation of it.
/// - References: `optax.join_schedules`; PyTorch `SequentialLR`.
public struct Joined<Part: Schedule>: Schedule {
  /// The schedules, in order.
  public var parts: [Part]
  /// The steps at which part *i* + 1 takes over from part *i*, increasing;
  /// one fewer than the parts.
  public var boundaries: [Int]

  /// Joins `parts` at `boundaries`.
  ///
  /// - Parameters:
  ///   - parts: At least one schedule.
  ///   - boundaries: `parts.count − 1` increasing steps.
  /// - Precondition: At least one part, one boundary fewer than parts, and the
  ///   boundaries increase.
  /// - Complexity: O(*n*).
  @inlinable public init(_ parts: [Part], boundaries: [Int]) {
    if let problem = Self.problem(parts: parts.count, boundaries: boundaries) { preconditionFailure(problem) }
    self.parts = parts
    self.boundaries = boundaries
  }

  /// Decodes the parts and boundaries.
  ///
  /// - Throws: `DecodingError.dataCorrupted` unless there is at least one part,
  ///   one boundary fewer than parts, and the boundaries increase.
  /// - Complexity: O(*n*) plus the parts' decoding.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let parts = try container.decode([Part].self, forKey: .parts)
    let boundaries = try container.decode([Int].self, forKey: .boundaries)
    if let problem = Self.problem(parts: parts.count, boundaries: boundaries) {
      throw DecodingError.dataCorruptedError(forKey: .boundaries, in: container, debugDescription: problem)
    }
    self.parts = parts
    self.boundaries = boundaries
  }

  /// What is wrong with `parts` parts joined at `boundaries`, if anything.
  @usableFromInline static func problem(parts: Int, boundaries: [Int]) -> String? {
    if parts == 0 { return "Joined: needs at least one part" }
    if boundaries.count != parts - 1 {
      return "Joined: \(parts) parts need \(parts - 1) boundaries, got \(boundaries.count)"
    }
    if !zip(boundaries, boundaries.dropFirst()).allSatisfy({ $0 < $1 }) {
      return "Joined: boundaries must increase, got \(boundaries)"
    }
    return nil
  }

  /// The active part at the steps since its boundary.
  ///
  /// - Parameter step: t.
  /// - Complexity: O(log *n*).
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    // The number of boundaries ≤ step, by binary search.
    var low = 0, high = boundaries.count
    while low < high {
      let middle = (low + high) / 2
      if boundaries[middle] <= step { low = middle + 1 } else { high = middle }
    }
    return low == 0 ? parts[0](step) : parts[low](StepArithmetic.difference(step, boundaries[low - 1]))
  }

  /// Each part's steps within its span, shifted to where it starts.
  ///
  /// - Complexity: O(parts × their steps).
  public var checkedSteps: [Int] {
    var steps = parts[0].checkedSteps.filter { boundaries.isEmpty || $0 < boundaries[0] }
    for (index, start) in boundaries.enumerated() {
      steps.append(max(StepArithmetic.difference(start, 1), 0))
      steps += StepArithmetic.shifted(parts[index + 1].checkedSteps, by: start)
    }
    return steps
  }
}

extension Joined: Equatable where Part: Equatable {}
