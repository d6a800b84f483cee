/// Thrown by a property's body to say that it does not hold, with what went
/// wrong; ``Property/require(_:_:)`` throws it.
///
/// Any other error thrown by the body fails the property too, with the error's
/// description as the message.
///
/// - Complexity: O(1).
public struct PropertyFailure: Error, Sendable, Hashable, CustomStringConvertible {
  /// What went wrong.
  public var message: String

  /// Creates a failure.
  ///
  /// - Parameter message: What went wrong.
  /// - Complexity: O(1).
  public init(_ message: String) { self.message = message }

  /// The message.
  ///
  /// - Complexity: O(1).
  public var description: String { message }
}
