/// Why an objective-driven step could not go on.
///
/// A step that throws leaves the caller's state and parameters as they were
/// before the step, so a long run can catch the error and save a checkpoint.
///
/// - Complexity: ``description`` is O(1).
/// - References: Swift Evolution SE-0413, *Typed throws*, 2023.
public enum ObjectiveError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The objective returned a NaN or infinite value at evaluation `evaluation`
  /// of the step (counted from 1).
  case nonFiniteValue(value: Double, evaluation: Int)
  /// The objective returned a gradient with a NaN or infinite element at
  /// evaluation `evaluation` of the step (counted from 1).
  case nonFiniteGradient(evaluation: Int)
  /// The search direction or step length became non-finite at iteration
  /// `iteration` of the step (counted from 1): the curvature history has
  /// overflowed.
  case nonFiniteDirection(iteration: Int)

  /// A sentence naming what went wrong and where.
  ///
  /// - Complexity: O(1).
  public var description: String {
    switch self {
    case let .nonFiniteValue(value, evaluation):
      return "the objective returned the non-finite value \(value) at evaluation \(evaluation) of the step"
    case let .nonFiniteGradient(evaluation):
      return "the objective returned a non-finite gradient at evaluation \(evaluation) of the step"
    case let .nonFiniteDirection(iteration):
      return "the search direction became non-finite at iteration \(iteration) of the step"
    }
  }
}
