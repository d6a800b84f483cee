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
}
