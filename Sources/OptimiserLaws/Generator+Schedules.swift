import Optimisers

extension Generator where Value == GeneratedSchedule {
  /// Random schedules up to `depth` combinators deep, with values in about
  /// [0, 1] and step counts up to 1000; shrinks towards `Constant(0)` and
  /// shallower trees.
  ///
  /// - Parameter depth: The largest nesting; default 2.
  /// - Complexity: O(size) per draw.
  public static func schedule(depth: Int = 2) -> Generator {
    let value = Generator<Double>.double(in: 0...1)
    let steps = Generator<Int>.int(in: 1...1000)
    let leaf = Generator.oneOf([
      value.map { GeneratedSchedule.constant($0) },
      Generator<((Double, Double), Int)>.zip(.zip(value, value), steps).map { .linear(initial: $0.0.0, end: $0.0.1, steps: $0.1) },
      Generator<((Double, Int), Double)>.zip(.zip(value, steps), value).map { .cosine(initial: $0.0.0, steps: $0.0.1, alpha: $0.1) },
      Generator<((Double, Int), Double)>.zip(.zip(value, steps), value).map { .exponential(initial: $0.0.0, steps: $0.0.1, rate: $0.1) },
      Generator<((Double, Double), Int)>.zip(.zip(value, value), steps).map { .stepDecay(initial: $0.0.0, factor: $0.0.1, stepSize: $0.1) },
    ])
    guard depth > 0 else { return leaf }
    let inner = schedule(depth: depth - 1)
    let offsets = Generator<Int>.int(in: 0...1000)
    return oneOf([
      leaf,
      Generator<(GeneratedSchedule, Int)>.zip(inner, offsets).map { .warmup($0.0, steps: $0.1) },
      Generator<((GeneratedSchedule, GeneratedSchedule), Int)>.zip(.zip(inner, inner), offsets).map { .followed($0.0.0, $0.0.1, at: $0.1) },
      Generator<(GeneratedSchedule, Int)>.zip(inner, steps).map { .looped($0.0, period: $0.1) },
      Generator<(GeneratedSchedule, Int)>.zip(inner, offsets).map { .shifted($0.0, by: $0.1) },
      Generator<((GeneratedSchedule, Double), Double)>.zip(.zip(inner, value), value).map {
        .clamped($0.0.0, lower: Swift.min($0.0.1, $0.1), upper: Swift.max($0.0.1, $0.1))
      },
      Generator<(GeneratedSchedule, Double)>.zip(inner, .double(in: -2...2)).map { .scaled($0.0, by: $0.1) },
      Generator<(GeneratedSchedule, GeneratedSchedule)>.zip(inner, inner).map { .sum($0.0, $0.1) },
      Generator<(GeneratedSchedule, GeneratedSchedule)>.zip(inner, inner).map { .product($0.0, $0.1) },
    ])
  }
}
