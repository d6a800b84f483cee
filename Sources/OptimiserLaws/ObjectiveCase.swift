import Optimisers

/// Starting parameters and two run lengths: the input of
/// `ObjectiveLaws/check(_:parameters:objective:steps:configuration:)`, shrunk
/// to the smallest run that still fails.
///
/// - Complexity: O(*n*) to print.
public struct ObjectiveCase<Params: Differentiable>: Sendable, CustomStringConvertible {
  /// The starting parameters.
  public var parameters: Params
  /// Steps taken before the checkpoint.
  public var stepsBefore: Int
  /// Steps taken after it, by the original run and by the resumed one.
  public var stepsAfter: Int

  /// The parameters' values and the two run lengths.
  ///
  /// - Complexity: O(*n*).
  public var description: String {
    "parameters \(parameters.flattenedParameters), \(stepsBefore) steps, checkpoint, \(stepsAfter) steps"
  }
}
