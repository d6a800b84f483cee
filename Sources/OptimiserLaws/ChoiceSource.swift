import Optimisers

/// Where a ``Generator`` takes its decisions from: a seeded ``SplitMix64``
/// (drawing a new case) or a recorded list of ``Choice``s (replaying a case
/// while shrinking). Either way it records the choices made and the spans of
/// structured parts (one list element, one leaf), which the shrinker deletes or
/// simplifies as a unit.
struct ChoiceSource {
  enum Mode {
    case draw(SplitMix64)
    case replay([Choice])
  }

  var mode: Mode
  var recorded: [Choice] = []
  var spans: [Range<Int>] = []
  var position = 0
  /// Choices a replay asked for beyond its list: they read as the simplest.
  var overrun = 0

  init(seed: UInt64) { mode = .draw(SplitMix64(seed: seed)) }
  init(replaying choices: [Choice]) { mode = .replay(choices) }

  /// A whole number in `0...bound`; when drawing, `draw` picks it.
  mutating func integer(bound: UInt64, draw: (inout SplitMix64) -> UInt64) -> UInt64 {
    let value: UInt64
    switch mode {
    case .draw(var random):
      value = min(draw(&random), bound)
      mode = .draw(random)
    case .replay(let choices):
      if position < choices.count { value = choices[position].integer(bound: bound) } else {
        value = 0
        overrun += 1
      }
    }
    position += 1
    recorded.append(Choice(bits: value, kind: .integer(bound: bound)))
    return value
  }

  /// A real in `lower...upper`; when drawing, `draw` picks it.
  mutating func real(lower: Double, upper: Double, draw: (inout SplitMix64) -> Double) -> Double {
    var value: Double
    switch mode {
    case .draw(var random):
      value = draw(&random)
      mode = .draw(random)
      value = value.isFinite ? min(max(value, lower), upper) : Choice.simplest(lower: lower, upper: upper)
    case .replay(let choices):
      if position < choices.count { value = choices[position].real(lower: lower, upper: upper) } else {
        value = Choice.simplest(lower: lower, upper: upper)
        overrun += 1
      }
    }
    position += 1
    recorded.append(Choice(bits: value.bitPattern, kind: .real(lower: lower, upper: upper)))
    return value
  }

  /// Runs `body` and records the choices it made as one span.
  mutating func span<T, E: Error>(_ body: (inout ChoiceSource) throws(E) -> T) throws(E) -> T {
    let start = recorded.count
    let value = try body(&self)
    if recorded.count > start { spans.append(start..<recorded.count) }
    return value
  }
}
