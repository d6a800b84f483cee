import Optimisers

/// Starting parameters and a sequence of ``OptimiserCommand``s: the input of
/// `StatefulLaws/check(_:parameters:scheduling:adjusting:commands:configuration:)`,
/// shrunk to the shortest sequence that still fails.
///
/// - Complexity: O(commands) to print.
public struct StatefulCase<Params: Differentiable>: Sendable, CustomStringConvertible {
  /// The starting parameters.
  public var parameters: Params
  /// The commands, in order.
  public var commands: [OptimiserCommand]

  /// The parameters' values, then one command per line.
  ///
  /// - Complexity: O(*n* + commands).
  public var description: String {
    (["parameters \(parameters.flattenedParameters)"] + commands.enumerated().map { "  \($0.offset + 1). \($0.element)" })
      .joined(separator: "\n")
  }
}
