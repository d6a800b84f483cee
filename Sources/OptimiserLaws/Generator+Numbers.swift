import Optimisers

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension Generator {
  /// Whole numbers in `range`, uniform; shrinks towards 0 if the range holds
  /// it, else towards the bound nearer 0. The range's width must be below 2⁶².
  ///
  /// - Parameter range: The allowed values.
  /// - Complexity: O(1).
  public static func int(in range: ClosedRange<Int>) -> Generator where Value == Int {
    let lower = range.lowerBound, upper = range.upperBound
    let target = min(max(0, lower), upper)
    let above = upper - target, below = target - lower
    // Choice c ↦ value: 0 ↦ target, then alternately above and below.
    @Sendable func value(_ c: UInt64) -> Int {
      let c = Int(c)
      if below == 0 { return target + min(c, above) }
      if above == 0 { return target - min(c, below) }
      let k = (c + 1) / 2
      let candidate = c % 2 == 1 ? target + k : target - k
      return min(max(candidate, lower), upper)
    }
    @Sendable func choice(_ v: Int) -> UInt64 {
      if below == 0 { return UInt64(v - target) }
      if above == 0 { return UInt64(target - v) }
      return v >= target ? UInt64(2 * (v - target) - (v > target ? 1 : 0)) : UInt64(2 * (target - v))
    }
    let bound = UInt64(below == 0 || above == 0 ? above + below : 2 * max(above, below))
    return Generator { source in
      value(source.integer(bound: bound) { random in choice(Int.random(in: lower...upper, using: &random)) })
    }
  }

  /// Reals in `range`, spread by `scale`; shrinks towards 0, ±1, ±½, ±2, whole
  /// numbers, powers of ten and numbers with one significant digit inside the
  /// range (a learning rate of 0.0374 shrinks to 0.01 or 0.04).
  ///
  /// - Parameters:
  ///   - range: The allowed values (finite).
  ///   - scale: `.linear` (default) or `.logarithmic` (positive ranges).
  /// - Complexity: O(1).
  public static func double(in range: ClosedRange<Double>, scale: GeneratorScale = .linear) -> Generator
  where Value == Double {
    let lower = range.lowerBound, upper = range.upperBound
    return Generator { source in
      source.real(lower: lower, upper: upper) { random in
        switch scale {
        case .linear:
          return lower + (upper - lower) * random.nextUnitInterval()
        case .logarithmic:
          let a = log10(max(lower, .leastNormalMagnitude)), b = log10(max(upper, .leastNormalMagnitude))
          return pow(10, a + (b - a) * random.nextUnitInterval())
        }
      }
    }
  }

  /// Normally distributed reals with standard deviation `scale`, mixed with the
  /// values that find bugs: exact zeros (1 in 8), values 100 times larger and
  /// 1000 times smaller (1 in 16 each). Shrinks like ``double(in:scale:)``.
  ///
  /// - Parameter scale: The standard deviation; default 1.
  /// - Complexity: O(1).
  public static func normal(scale: Double = 1) -> Generator where Value == Double {
    Generator { source in
      source.real(lower: -.greatestFiniteMagnitude, upper: .greatestFiniteMagnitude) { random in
        let kind = random.next() % 16
        let x = random.nextStandardNormal() * scale
        switch kind {
        case 0, 1: return 0
        case 2: return x * 100
        case 3: return x * 1e-3
        default: return x
        }
      }
    }
  }

  /// `true` or `false`, evenly; shrinks towards `false`.
  ///
  /// - Complexity: O(1).
  public static func bool() -> Generator where Value == Bool {
    Generator { source in source.integer(bound: 1) { $0.next() & 1 } == 1 }
  }

  /// One of `elements`, uniformly; shrinks towards the first.
  ///
  /// - Parameter elements: The choices (not empty).
  /// - Complexity: O(1).
  public static func element(of elements: [Value]) -> Generator where Value: Sendable {
    precondition(!elements.isEmpty, "Generator.element(of:) needs at least one element")
    let bound = UInt64(elements.count - 1)
    return Generator { source in
      elements[Int(source.integer(bound: bound) { UInt64.random(in: 0...bound, using: &$0) })]
    }
  }

  /// One of `generators`, uniformly; shrinks towards the first.
  ///
  /// - Parameter generators: The alternatives (not empty).
  /// - Complexity: O(1) plus the chosen generator.
  public static func oneOf(_ generators: [Generator]) -> Generator {
    precondition(!generators.isEmpty, "Generator.oneOf(_:) needs at least one generator")
    let bound = UInt64(generators.count - 1)
    return Generator { source throws(GenerationRejected) in
      let index = Int(source.integer(bound: bound) { UInt64.random(in: 0...bound, using: &$0) })
      return try generators[index].run(&source)
    }
  }
}
