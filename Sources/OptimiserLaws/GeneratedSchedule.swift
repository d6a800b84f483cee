import Optimisers

/// A random schedule built from the package's schedules and combinators, for
/// properties over schedules (``Generator/schedule(depth:)``): a tree whose
/// leaves are `Constant`, `LinearSchedule`, `CosineDecay`, `ExponentialDecay`
/// and `StepDecay`, and whose nodes are `Warmup`, `Followed`, `Looped`,
/// `Shifted`, `Clamped`, `Scaled`, `Sum` and `Product`. Evaluating it builds
/// and calls those types, so the laws checked on it check them.
///
/// `Codable` (the synthesised enum coding), so it round-trips like any schedule.
///
/// - Complexity: Evaluation O(depth).
public indirect enum GeneratedSchedule: Schedule, Hashable, CustomStringConvertible {
  case constant(Double)
  case linear(initial: Double, end: Double, steps: Int)
  case cosine(initial: Double, steps: Int, alpha: Double)
  case exponential(initial: Double, steps: Int, rate: Double)
  case stepDecay(initial: Double, factor: Double, stepSize: Int)
  case warmup(GeneratedSchedule, steps: Int)
  case followed(GeneratedSchedule, GeneratedSchedule, at: Int)
  case looped(GeneratedSchedule, period: Int)
  case shifted(GeneratedSchedule, by: Int)
  case clamped(GeneratedSchedule, lower: Double, upper: Double)
  case scaled(GeneratedSchedule, by: Double)
  case sum(GeneratedSchedule, GeneratedSchedule)
  case product(GeneratedSchedule, GeneratedSchedule)

  /// The value at `step`, computed by the package's schedule types.
  ///
  /// - Complexity: O(depth).
  public func callAsFunction(_ step: Int) -> Double {
    switch self {
    case .constant(let value): return Constant(value: value)(step)
    case .linear(let initial, let end, let steps): return LinearSchedule(initial: initial, end: end, transitionSteps: steps)(step)
    case .cosine(let initial, let steps, let alpha): return CosineDecay(initial: initial, decaySteps: steps, alpha: alpha)(step)
    case .exponential(let initial, let steps, let rate):
      return ExponentialDecay(initial: initial, transitionSteps: steps, decayRate: rate)(step)
    case .stepDecay(let initial, let factor, let size): return StepDecay(initial: initial, factor: factor, stepSize: size)(step)
    case .warmup(let base, let steps): return Warmup(base, steps: steps)(step)
    case .followed(let a, let b, let boundary): return Followed(a, b, at: boundary)(step)
    case .looped(let base, let period): return Looped(base, period: period)(step)
    case .shifted(let base, let offset): return Shifted(base, by: offset)(step)
    case .clamped(let base, let lower, let upper): return Clamped(base, to: lower...upper)(step)
    case .scaled(let base, let factor): return Scaled(base, by: factor)(step)
    case .sum(let a, let b): return Sum(a, b)(step)
    case .product(let a, let b): return Product(a, b)(step)
    }
  }

  /// The expression, as Swift-like text.
  ///
  /// - Complexity: O(size).
  public var description: String {
    switch self {
    case .constant(let value): return "Constant(\(value))"
    case .linear(let a, let b, let n): return "Linear(\(a) → \(b) over \(n))"
    case .cosine(let a, let n, let alpha): return "Cosine(\(a), \(n) steps, α \(alpha))"
    case .exponential(let a, let n, let r): return "Exponential(\(a), rate \(r) per \(n))"
    case .stepDecay(let a, let f, let n): return "StepDecay(\(a), ×\(f) every \(n))"
    case .warmup(let s, let n): return "Warmup(\(s), \(n) steps)"
    case .followed(let a, let b, let at): return "\(a).followed(by: \(b), at: \(at))"
    case .looped(let s, let p): return "\(s).looped(period: \(p))"
    case .shifted(let s, let k): return "\(s).shifted(by: \(k))"
    case .clamped(let s, let lo, let hi): return "\(s).clamped(to: \(lo)...\(hi))"
    case .scaled(let s, let f): return "\(f) * \(s)"
    case .sum(let a, let b): return "(\(a) + \(b))"
    case .product(let a, let b): return "(\(a) * \(b))"
    }
  }
}
