/// Calls an objective, counts the calls, refuses non-finite results and turns
/// the gradient into a flat vector with its summary.
///
/// - Complexity: One objective call and O(*n*) per ``evaluate(_:direction:)``.
@usableFromInline
struct ObjectiveEvaluator<Params: Differentiable> {
  @usableFromInline typealias Scalar = Params.TangentVector.Scalar
  @usableFromInline let objective: (Params) -> (value: Scalar, gradient: Params.TangentVector)
  /// Evaluations made so far in this step.
  @usableFromInline var count = 0
  /// How the slope g·d is summed.
  @usableFromInline let order: ReductionOrder

  @inlinable init(
    _ objective: @escaping (Params) -> (value: Scalar, gradient: Params.TangentVector), order: ReductionOrder = .blocked
  ) {
    self.objective = objective
    self.order = order
  }

  /// The objective at `params`, with the slope along `direction` (0 when
  /// `direction` is empty) and max |gᵢ|.
  ///
  /// - Throws: ``ObjectiveError`` for a non-finite value or gradient.
  @inlinable
  mutating func evaluate(_ params: Params, direction: [Scalar]) throws(ObjectiveError) -> (LineSample<Scalar>, AbsoluteSummary) {
    let (value, gradient) = objective(params)
    count += 1
    guard value.isFinite else { throw .nonFiniteValue(value: Double(value), evaluation: count) }
    LeafWalk.checkShapes(of: params, gradient, role: "gradient")
    let flat = FlatParameters.gather(gradient)
    let summary = FlatKernels.summary(flat)
    guard summary.finite else { throw .nonFiniteGradient(evaluation: count) }
    let slope = direction.isEmpty ? 0 : FlatKernels.dot(flat, direction, order: order)
    return (LineSample(value: Double(value), gradient: flat, slope: slope, gradientMax: summary.max), summary)
  }
}
