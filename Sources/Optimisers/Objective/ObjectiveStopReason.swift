/// Why an objective-driven step stopped iterating.
///
/// The three change tolerances are the three tests that `torch.optim.LBFGS`
/// makes with its `tolerance_change`.
///
/// - Complexity: O(1) to compare.
public enum ObjectiveStopReason: String, Codable, Sendable, Hashable, CaseIterable {
  /// The step made the iterations it may make (``LBFGS/maximumIterations``).
  case iterationLimit
  /// max |gᵢ| ≤ ``LBFGS/gradientTolerance``: a first-order stationary point.
  case gradientTolerance
  /// |f(xₖ₊₁) − f(xₖ)| < ``LBFGS/changeTolerance``.
  case valueChangeTolerance
  /// max |t·dᵢ| ≤ ``LBFGS/changeTolerance``: the step no longer moves.
  case stepChangeTolerance
  /// g·d > −``LBFGS/changeTolerance``: the direction no longer descends.
  case directionalDerivativeTolerance
  /// The step used its objective evaluations (``LBFGS/maximumEvaluations``).
  case evaluationBudget
  /// The line search found no step satisfying its conditions, and the
  /// iteration made no progress.
  case lineSearchFailure
  /// The step is one update of a rule that does not iterate
  /// (``SharpnessAware``).
  case singleUpdate
}
