/// The pointwise sum of two schedules: s(t) = a(t) + b(t).
///
/// Add a floor to a decay (`cosine + Constant(value: 1e-5)`) or a periodic
/// perturbation to a base rate.
///
/// - Complexity: One evaluation of each term.
/// - References: None needed: pointwise addition of functions.
public struct Sum<First: Schedule, Second: Schedule>: Schedule {
  /// The left term a.
  public var first: First
  /// The right term b.
  public var second: Second

  /// The sum of `first` and `second`.
  ///
  /// - Parameters:
  ///   - first: a.
  ///   - second: b.
  @inlinable public init(_ first: First, _ second: Second) {
    (self.first, self.second) = (first, second)
  }

  /// a(t) + b(t).
  ///
  /// - Parameter step: t.
  /// - Complexity: One evaluation of each term.
  @inlinable public func callAsFunction(_ step: Int) -> Double { first(step) + second(step) }

  /// Both terms' steps (a best effort: a sum of two varying schedules can peak
  /// elsewhere).
  ///
  /// - Complexity: O(both schedules' steps).
  public var checkedSteps: [Int] { first.checkedSteps + second.checkedSteps }
}

extension Sum: Equatable where First: Equatable, Second: Equatable {}

extension Schedule {
  /// The pointwise sum of two schedules.
  ///
  /// - Parameters:
  ///   - lhs: a.
  ///   - rhs: b.
  /// - Returns: `Sum(lhs, rhs)`.
  @inlinable public static func + <Other: Schedule>(lhs: Self, rhs: Other) -> Sum<Self, Other> {
    Sum(lhs, rhs)
  }
}
