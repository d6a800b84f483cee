/// The product of several schedules of one type: s(t) = ∏ᵢ sᵢ(t).
///
/// PyTorch's `ChainedScheduler` applies each scheduler's multiplicative update
/// to the rate in turn, so over the multiplicative schedulers (`ConstantLR`,
/// `LinearLR`, `ExponentialLR`, `StepLR`, `MultiStepLR`, `PolynomialLR`,
/// `MultiplicativeLR`) the rate is the base rate times every scheduler's factor.
/// Give one factor the base rate and the others base rate 1:
/// `ChainedScheduler([ConstantLR(opt, factor: 0.5, total_iters: 20), ExponentialLR(opt, gamma: 0.99)])`
/// with `lr = 0.1` is
/// `Chained([AnySchedule(.constantLR(baseRate: 0.1, factor: 0.5, totalIters: 20)), AnySchedule(ExponentialDecay(initial: 1, transitionSteps: 1, decayRate: 0.99))])`.
/// For two factors of different static types, ``Product`` (`a * b`) does the same.
///
/// - Complexity: One evaluation of each factor.
/// - References: PyTorch `ChainedScheduler`, 2019.
public struct Chained<Factor: Schedule>: Schedule {
  /// The factors, multiplied in order.
  public var factors: [Factor]

  /// The product of `factors`.
  ///
  /// - Parameter factors: At least one schedule.
  /// - Precondition: At least one factor.
  /// - Complexity: O(*n*).
  @inlinable public init(_ factors: [Factor]) {
    precondition(!factors.isEmpty, "Chained: needs at least one factor")
    self.factors = factors
  }

  /// Decodes the factors.
  ///
  /// - Throws: `DecodingError.dataCorrupted` for an empty list.
  /// - Complexity: The factors' decoding.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let factors = try container.decode([Factor].self, forKey: .factors)
    if factors.isEmpty {
      throw DecodingError.dataCorruptedError(forKey: .factors, in: container, debugDescription: "Chained: needs at least one factor")
    }
    self.factors = factors
  }

  /// ∏ᵢ sᵢ(t), left to right; 0 as soon as one factor is 0 (never 0 × ∞).
  ///
  /// - Parameter step: t.
  /// - Complexity: One evaluation of each factor.
  @inlinable public func callAsFunction(_ step: Int) -> Double {
    var value = 1.0
    for factor in factors {
      let next = factor(step)
      if next == 0 { return 0 }
      value *= next
    }
    return value
  }

  /// Every factor's steps (a best effort: a product of varying factors can
  /// peak elsewhere).
  ///
  /// - Complexity: O(the factors' steps).
  public var checkedSteps: [Int] { factors.flatMap(\.checkedSteps) }
}

extension Chained: Equatable where Factor: Equatable {}
