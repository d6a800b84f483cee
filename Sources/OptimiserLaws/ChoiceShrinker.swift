/// Shrinks a failing list of ``Choice``s: deletes spans (a list element, a
/// step, a leaf's values), then chunks of choices, replaces spans by their
/// simplest values, and simplifies each choice (whole numbers towards 0 by
/// binary search, reals towards 0, ±1, whole and round numbers), repeating
/// until nothing simpler fails or the budget is spent. A candidate is kept only
/// if it is simpler (fewer choices, or as many and lexicographically simpler)
/// and still fails, so shrinking terminates.
struct ChoiceShrinker {
  typealias Failure = (choices: [Choice], spans: [Range<Int>], message: String)

  /// Replays choices; returns what was recorded and the failure message if the
  /// generated value still fails, `nil` if it passes or is rejected.
  let fails: ([Choice]) -> Failure?
  let budget: Int
  private(set) var best: Failure
  private(set) var attempts = 0
  private(set) var accepted = 0

  init(_ start: Failure, budget: Int, fails: @escaping ([Choice]) -> Failure?) {
    self.best = start
    self.budget = budget
    self.fails = fails
  }

  static func simpler(_ a: [Choice], than b: [Choice]) -> Bool {
    if a.count != b.count { return a.count < b.count }
    for (x, y) in zip(a, b) where x.complexity != y.complexity {
      return x.complexity.lexicographicallyPrecedes(y.complexity)
    }
    return false
  }

  private mutating func attempt(_ candidate: [Choice]) -> Bool {
    guard attempts < budget, Self.simpler(candidate, than: best.choices) else { return false }
    attempts += 1
    guard let result = fails(candidate), Self.simpler(result.choices, than: best.choices) else { return false }
    best = result
    accepted += 1
    return true
  }

  mutating func shrink() {
    var improved = true
    while improved && attempts < budget {
      improved = false
      // Delete spans, longest first (whole steps, whole leaves).
      for span in best.spans.sorted(by: { $0.count > $1.count }) where span.upperBound <= best.choices.count {
        var candidate = best.choices
        candidate.removeSubrange(span)
        if attempt(candidate) { improved = true }
      }
      // Delete chunks of choices, from the end.
      for size in [8, 4, 2, 1] {
        var start = best.choices.count - size
        while start >= 0 && attempts < budget {
          if start + size <= best.choices.count {
            var candidate = best.choices
            candidate.removeSubrange(start..<(start + size))
            if attempt(candidate) { improved = true }
          }
          start -= 1
        }
      }
      // Simplify structural choices (extents, lengths, flags) while the
      // values are still as drawn, so a smaller shape keeps a failing value.
      var structural = 0
      while structural < best.choices.count && attempts < budget {
        if case .integer = best.choices[structural].kind {
          if simplify(at: structural) {
            improved = true
          } else if best.choices[structural].bits > 0, attempt(decrementedAndCompacted(structural)) {
            improved = true
          }
        }
        structural += 1
      }
      // Replace whole spans with their simplest values.
      for span in best.spans where span.upperBound <= best.choices.count {
        var candidate = best.choices
        for i in span { candidate[i] = Self.simplest(candidate[i]) }
        if attempt(candidate) { improved = true }
      }
      // Simplify each choice.
      var index = 0
      while index < best.choices.count && attempts < budget {
        if simplify(at: index) { improved = true }
        index += 1
      }
    }
  }

  /// The choices with the integer at `index` one lower and, in every later
  /// span, the values that are not yet the simplest moved to the front (in
  /// order): a smaller extent then keeps the values that made the case fail.
  private func decrementedAndCompacted(_ index: Int) -> [Choice] {
    var candidate = best.choices
    candidate[index].bits -= 1
    for span in best.spans where span.lowerBound > index && span.upperBound <= candidate.count {
      let values = Array(candidate[span])
      let kept = values.filter { $0 != Self.simplest($0) }
      let rest = values.filter { $0 == Self.simplest($0) }
      candidate.replaceSubrange(span, with: kept + rest)
    }
    return candidate
  }

  static func simplest(_ choice: Choice) -> Choice {
    switch choice.kind {
    case .integer: return Choice(bits: 0, kind: choice.kind)
    case .real(let lower, let upper):
      return Choice(bits: Choice.simplest(lower: lower, upper: upper).bitPattern, kind: choice.kind)
    }
  }

  private func replacing(_ index: Int, with bits: UInt64) -> [Choice] {
    var candidate = best.choices
    if index < candidate.count { candidate[index].bits = bits }
    return candidate
  }

  private mutating func simplify(at index: Int) -> Bool {
    let choice = best.choices[index]
    switch choice.kind {
    case .integer:
      guard choice.bits > 0 else { return false }
      if attempt(replacing(index, with: 0)) { return true }
      // Binary search for the smallest value that still fails.
      var low: UInt64 = 0, high = choice.bits
      var changed = false
      while high - low > 1 && index < best.choices.count && attempts < budget {
        let middle = low + (high - low) / 2
        if attempt(replacing(index, with: middle)) {
          high = middle
          changed = true
        } else {
          low = middle
        }
      }
      return changed
    case .real(let lower, let upper):
      let x = Double(bitPattern: choice.bits)
      for candidate in Choice.simplerReals(than: x, lower: lower, upper: upper)
      where attempt(replacing(index, with: candidate.bitPattern)) {
        return true
      }
      return false
    }
  }
}
