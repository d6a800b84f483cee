/// A value that changes with the step count: a learning rate, a momentum, a
/// weight-decay coefficient.
///
/// A schedule is a pure, `Codable`, `Sendable` function from the step count to a
/// value. Step 0 is the value used for the **first** update, step 1 for the
/// second, and so on. Schedules keep no state of their own, so the same schedule
/// can be evaluated at any step, in any order, and saved next to a checkpoint.
///
/// Conform with one function:
///
/// ```swift
/// struct Halving: Schedule {
///   var initial: Double
///   func callAsFunction(_ step: Int) -> Double { initial / Double(1 << min(step / 100, 60)) }
/// }
/// ```
///
/// Combine schedules with the wrappers ``Warmup``, ``Joined``, ``Followed``,
/// ``Looped``, ``Shifted``, ``Clamped``, ``Product``, ``Sum`` and ``Scaled``
/// (`cosine * plateau`, `0.5 * cosine`, `warmup + Constant(value: 1e-5)`), and drive
/// any hyperparameter of any rule with ``Scheduled``.
///
/// ## Mathematical properties
/// A schedule is a function ℕ → ℝ, s(t). The combinators are function
/// composition: shifting (t ↦ s(t − k)), restriction and concatenation (joins),
/// periodic extension (loops), pointwise products and sums.
///
/// - Complexity: Evaluating the schedules in this package is O(1), except where a
///   type's documentation says otherwise (lists of boundaries or knots are
///   O(log *n*) or O(*n*) in their length).
/// - References: Babuschkin et al., *The DeepMind JAX Ecosystem* (optax
///   schedules), 2020; Paszke et al., *PyTorch* (`torch.optim.lr_scheduler`), 2019.
public protocol Schedule: Codable, Sendable {
  /// The value for the update with 0-based index `step`.
  ///
  /// - Parameter step: The number of updates already applied (0 for the first
  ///   update). Negative steps are treated as documented by each type.
  /// - Complexity: O(1) for the schedules in this package unless documented.
  func callAsFunction(_ step: Int) -> Double

  /// The steps worth checking before a run: where the schedule reaches its
  /// largest and smallest values over the steps 0, 1, 2, … (phase ends, knots,
  /// the end of a decay), when they are known. ``Scheduled`` checks the driven
  /// hyperparameter's range at each of them, which decides the whole run for a
  /// schedule that is monotone between them (every schedule in this package
  /// except ``Product`` and ``Sum`` of two non-constant schedules, whose steps
  /// are a best effort). The default is `[0]`.
  ///
  /// - Complexity: O(number of phases or knots).
  var checkedSteps: [Int] { get }
}

extension Schedule {
  /// Step 0 only: a schedule that does not say where its extremes are.
  public var checkedSteps: [Int] { [0] }
}

/// Arithmetic that saturates instead of trapping, for steps near `Int.min` or
/// `Int.max`.
@usableFromInline
enum StepArithmetic {
  /// `a − b`, clamped to `Int`'s range.
  @inlinable
  static func difference(_ a: Int, _ b: Int) -> Int {
    let (value, overflow) = a.subtractingReportingOverflow(b)
    return overflow ? (b < 0 ? Int.max : Int.min) : value
  }

  /// `a + b`, clamped to `Int`'s range.
  @inlinable
  static func sum(_ a: Int, _ b: Int) -> Int {
    let (value, overflow) = a.addingReportingOverflow(b)
    return overflow ? (b < 0 ? Int.min : Int.max) : value
  }

  /// `steps` shifted by `offset` (saturating), without negative results.
  static func shifted(_ steps: [Int], by offset: Int) -> [Int] {
    steps.map { sum($0, offset) }.filter { $0 >= 0 }
  }
}
