/// A schedule repeated with a fixed period: s(t) = b(t mod P).
///
/// ```swift
/// let restarts = Looped(CosineDecay(initial: 0.1, decaySteps: 1000), period: 1000)
/// ```
///
/// ## Mathematical properties
/// Periodic: s(t + P) = s(t) for every t ≥ 0, and s(t) = b(t) for t < P.
///
/// - Complexity: One evaluation of the base.
/// - References: Loshchilov and Hutter, *SGDR*, ICLR 2017 (restarts).
public struct Looped<Base: Schedule>: Schedule {
  /// The repeated schedule.
  public var base: Base
  /// The period P in steps, > 0.
  public var period: Int

  /// Repeats `base` every `period` steps.
  ///
  /// - Parameters:
  ///   - base: The schedule evaluated at t mod P.
  ///   - period: P > 0.
  /// - Precondition: `period` > 0.
  @inlinable public init(_ base: Base, period: Int) {
    precondition(period > 0, "Looped: period must be > 0, got \(period)")
    (self.base, self.period) = (base, period)
  }

  /// b(t mod P), with the remainder taken in [0, P) for negative t too.
  ///
  /// - Parameter step: t.
  /// - Complexity: One evaluation of the base.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    let remainder = step % period
    return base(remainder < 0 ? remainder + period : remainder)
  }

  /// The base's steps within one period, and the period's last step.
  ///
  /// - Complexity: O(the base's steps).
  public var checkedSteps: [Int] { base.checkedSteps.filter { $0 < period } + [period - 1] }
}

extension Looped: Equatable where Base: Equatable {}

extension Schedule {
  /// This schedule repeated every `period` steps.
  ///
  /// - Parameter period: P > 0.
  /// - Returns: `Looped(self, period: period)`.
  @inlinable public func looped(period: Int) -> Looped<Self> { Looped(self, period: period) }
}
