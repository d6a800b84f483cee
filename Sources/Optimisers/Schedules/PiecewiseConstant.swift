/// A piecewise-constant schedule: from each boundary on, the value is multiplied
/// by that boundary's scale.
///
///     s(t) = η · ∏_{i : bᵢ ≤ t} scaleᵢ
///
/// The products are taken in boundary order, one multiplication per boundary
/// passed. Matches `optax.piecewise_constant_schedule(init_value,
/// {b: scale, ...})` and, with every scale equal to γ,
/// `torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones, gamma)`.
///
/// - Complexity: O(*k*) for *k* boundaries.
/// - References: `optax.piecewise_constant_schedule`; PyTorch `MultiStepLR`.
public struct PiecewiseConstant: Schedule, Equatable {
  /// The value before the first boundary, η.
  public var initial: Double
  /// The steps at which the value changes, in increasing order.
  public var boundaries: [Int]
  /// The multiplier applied at each boundary, one per boundary.
  public var scales: [Double]

  /// Creates a piecewise-constant schedule.
  ///
  /// - Parameters:
  ///   - initial: η, the value before the first boundary.
  ///   - boundaries: Steps where the value changes, non-decreasing.
  ///   - scales: The multiplier at each boundary (as many as boundaries).
  /// - Precondition: As many scales as boundaries; boundaries non-decreasing.
  /// - Complexity: O(*k*).
  @inlinable public init(initial: Double, boundaries: [Int], scales: [Double]) {
    precondition(boundaries.count == scales.count,
                 "PiecewiseConstant: \(boundaries.count) boundaries but \(scales.count) scales")
    precondition(zip(boundaries, boundaries.dropFirst()).allSatisfy { $0 <= $1 },
                 "PiecewiseConstant: boundaries must be non-decreasing, got \(boundaries)")
    precondition(initial.isFinite, "PiecewiseConstant: initial must be finite, got \(initial)")
    precondition(scales.reduce(into: (initial, true)) { state, scale in
                   state.0 *= scale
                   state.1 = state.1 && state.0.isFinite
                 }.1,
                 "PiecewiseConstant: the scales \(scales) take \(initial) beyond the finite numbers")
    (self.initial, self.boundaries, self.scales) = (initial, boundaries, scales)
  }

  /// η times the scales of every boundary ≤ t.
  ///
  /// - Parameter step: t.
  /// - Complexity: O(*k*).
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    var value = initial
    for (boundary, scale) in zip(boundaries, scales) where boundary <= step {
      value = scale * value
    }
    return value
  }

  /// Step 0 and every boundary.
  ///
  /// - Complexity: O(boundaries).
  public var checkedSteps: [Int] { [0] + boundaries.filter { $0 >= 0 } }
}
