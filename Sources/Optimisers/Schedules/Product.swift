/// The pointwise product of two schedules: s(t) = a(t) · b(t).
///
/// Multiply a time-based schedule by a ``ReduceOnPlateau`` factor, or by a
/// ``Cyclic`` modulation: `WarmupCosine(...) * plateau`.
///
/// - Complexity: One evaluation of each factor.
/// - References: PyTorch `ChainedScheduler` (multiplicative composition), 2019.
public struct Product<First: Schedule, Second: Schedule>: Schedule {
  /// The left factor a.
  public var first: First
  /// The right factor b.
  public var second: Second

  /// The product of `first` and `second`.
  ///
  /// - Parameters:
  ///   - first: a.
  ///   - second: b.
  @inlinable public init(_ first: First, _ second: Second) {
    (self.first, self.second) = (first, second)
  }

  /// a(t) · b(t).
  ///
  /// - Parameter step: t.
  /// - Complexity: One evaluation of each factor.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    // A zero factor gives 0, even against an infinite one (never NaN).
    let a = first(step)
    if a == 0 { return 0 }
    let b = second(step)
    return b == 0 ? 0 : a * b
  }

  /// Both factors' steps (a best effort: a product of two varying schedules
  /// can peak elsewhere).
  ///
  /// - Complexity: O(both schedules' steps).
  public var checkedSteps: [Int] { first.checkedSteps + second.checkedSteps }
}

extension Product: Equatable where First: Equatable, Second: Equatable {}

extension Schedule {
  /// The pointwise product of two schedules.
  ///
  /// - Parameters:
  ///   - lhs: a.
  ///   - rhs: b.
  /// - Returns: `Product(lhs, rhs)`.
  @inlinable public static func * <Other: Schedule>(lhs: Self, rhs: Other) -> Product<Self, Other> {
    Product(lhs, rhs)
  }
}
