/// The error ``SkipNonFinite`` reports when it gives up on non-finite steps.
///
/// - Complexity: ``description`` is O(1).
/// - References: optax `apply_if_finite`, 2021.
public struct NonFiniteError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The number of consecutive non-finite steps, including the one given up on.
  public var consecutive: Int
  /// The number of non-finite steps since the state was created, including this
  /// one.
  public var total: Int
  /// The policy in force.
  public var policy: NonFinitePolicy

  /// Creates the error.
  ///
  /// - Parameters:
  ///   - consecutive: Consecutive non-finite steps, this one included.
  ///   - total: All non-finite steps, this one included.
  ///   - policy: The policy in force.
  /// - Complexity: O(1).
  @inlinable public init(consecutive: Int, total: Int, policy: NonFinitePolicy) {
    self.consecutive = consecutive
    self.total = total
    self.policy = policy
  }

  /// A sentence with the counts and the policy.
  ///
  /// - Complexity: O(1).
  public var description: String {
    "SkipNonFinite (policy .\(policy.rawValue)) gave up: \(consecutive) consecutive non-finite step(s), \(total) in total"
  }
}
