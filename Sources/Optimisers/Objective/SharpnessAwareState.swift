/// The state of ``SharpnessAware``: the inner rule's state and the step count.
///
/// - Complexity: Copying is O(1) plus the inner state's copy.
public struct SharpnessAwareState<RuleState: Codable & Sendable>: Codable, Sendable {
  /// The optimiser's name, checked when the state is decoded.
  var rule = RuleTag<SharpnessAwareState>()
  /// The inner rule's state (optax's `opt_state`).
  public var inner: RuleState
  /// The updates made so far.
  public var step: Int

  /// Creates a state.
  ///
  /// - Parameters:
  ///   - inner: The inner rule's state.
  ///   - step: The updates made; default 0.
  /// - Complexity: O(1).
  public init(inner: RuleState, step: Int = 0) {
    self.inner = inner
    self.step = step
  }
}

extension SharpnessAwareState: Equatable where RuleState: Equatable {}
