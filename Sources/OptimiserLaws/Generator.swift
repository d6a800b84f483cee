import Optimisers

/// A seeded, composable source of random test inputs that knows how to shrink
/// them.
///
/// A generator makes its value from a list of random choices. ``Property``
/// draws the choices from a `SplitMix64` seeded by ``PropertyConfiguration``,
/// and when the property fails it shrinks the *choices* — deleting list
/// elements and steps, lowering extents, moving numbers towards 0, ±1, small
/// integers, round numbers — and replays them through the same generator. So
/// every combinator keeps shrinking for free:
///
/// ```swift
/// let rates = Generator.double(in: 1e-4...0.1, scale: .logarithmic)
/// let pairs = Generator.zip(rates, Generator.int(in: 1...8))
/// let even = Generator.int(in: 0...100).filter { $0 % 2 == 0 }
/// let vectors = Generator.int(in: 1...4).flatMap { n in Generator.normal().array(count: n...n) }
/// ```
///
/// Numbers shrink towards the simplest value in their range (0 if the range
/// holds it, else the bound nearer 0); lists towards fewer elements; an
/// ``OptimiserCase`` towards fewer steps, extents of 1 and simple values.
///
/// - Complexity: Drawing costs what the combinators cost; shrinking replays the
///   generator once per attempt, at most
///   ``PropertyConfiguration/maximumShrinkAttempts`` times.
/// - References: Claessen and Hughes, *QuickCheck*, ICFP 2000 (generators);
///   MacIver and Donaldson, *Test-Case Reduction via Test-Case Generation*,
///   ECOOP 2020 (shrinking the choice sequence).
public struct Generator<Value>: Sendable {
  let run: @Sendable (inout ChoiceSource) throws(GenerationRejected) -> Value

  init(_ run: @escaping @Sendable (inout ChoiceSource) throws(GenerationRejected) -> Value) {
    self.run = run
  }

  /// Always `value`.
  ///
  /// - Parameter value: The value.
  /// - Complexity: O(1).
  public static func constant(_ value: Value) -> Generator where Value: Sendable {
    Generator { _ in value }
  }

  /// Values transformed by `transform`; shrinks as this generator does.
  ///
  /// - Parameter transform: A pure function of the value.
  /// - Complexity: O(1) plus `transform`.
  public func map<T>(_ transform: @escaping @Sendable (Value) -> T) -> Generator<T> {
    Generator<T> { source throws(GenerationRejected) in transform(try self.run(&source)) }
  }

  /// A generator chosen by this one's value (for example, a shape, then
  /// values of that shape). Shrinking the first value regenerates the second.
  ///
  /// - Parameter next: Returns the generator to draw from.
  /// - Complexity: O(1) plus both generators.
  public func flatMap<T>(_ next: @escaping @Sendable (Value) -> Generator<T>) -> Generator<T> {
    Generator<T> { source throws(GenerationRejected) in
      let first = try self.run(&source)
      return try next(first).run(&source)
    }
  }

  /// Only values that satisfy `predicate`, drawing again after a rejection, at
  /// most `maximumRejections` times before the case is discarded (the report
  /// counts discarded cases, and gives up when too many are).
  ///
  /// - Parameters:
  ///   - maximumRejections: Redraws allowed per value; default 100.
  ///   - predicate: The condition values must meet.
  /// - Complexity: Up to `maximumRejections` + 1 draws per value.
  public func filter(
    maximumRejections: Int = 100, _ predicate: @escaping @Sendable (Value) -> Bool
  ) -> Generator {
    Generator { source throws(GenerationRejected) in
      for _ in 0...max(0, maximumRejections) {
        let value = try self.run(&source)
        if predicate(value) { return value }
      }
      throw GenerationRejected()
    }
  }

  /// Pairs of values from two generators, drawn one after the other.
  ///
  /// - Complexity: O(1) plus both generators.
  public static func zip<A, B>(_ a: Generator<A>, _ b: Generator<B>) -> Generator where Value == (A, B) {
    Generator { source throws(GenerationRejected) in (try a.run(&source), try b.run(&source)) }
  }

  /// Triples of values from three generators.
  ///
  /// - Complexity: O(1) plus the generators.
  public static func zip<A, B, C>(
    _ a: Generator<A>, _ b: Generator<B>, _ c: Generator<C>
  ) -> Generator where Value == (A, B, C) {
    Generator { source throws(GenerationRejected) in (try a.run(&source), try b.run(&source), try c.run(&source)) }
  }

  /// Arrays of this generator's values, with a length in `count`; shrinks
  /// towards fewer elements (any element can go) and simpler ones.
  ///
  /// - Parameter count: The allowed lengths; default `0...8`.
  /// - Complexity: O(length) draws.
  public func array(count: ClosedRange<Int> = 0...8) -> Generator<[Value]> {
    let lower = max(0, count.lowerBound), upper = max(lower, count.upperBound)
    return Generator<[Value]> { source throws(GenerationRejected) in
      var result: [Value] = []
      // Drawing picks the length first; each optional element is announced by
      // a choice (1 = one more), so deleting a span removes one element.
      var length: Int? = nil
      for index in 0..<upper {
        let element = try source.span { source throws(GenerationRejected) -> Value? in
          if index >= lower {
            let more = source.integer(bound: 1) { random in
              if length == nil { length = Int.random(in: lower...upper, using: &random) }
              return index < length! ? 1 : 0
            }
            if more == 0 { return nil }
          }
          return try self.run(&source)
        }
        guard let element else { break }
        result.append(element)
      }
      return result
    }
  }

  /// The value drawn from `source` (for the property runner).
  func generate(_ source: inout ChoiceSource) throws(GenerationRejected) -> Value { try run(&source) }
}
