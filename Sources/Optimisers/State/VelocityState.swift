/// The state of the momentum rules that keep a step count and one velocity
/// buffer shaped like the parameters: `Momentum`, `Nesterov` and `LARS`.
///
/// The velocity accumulates past (scaled) gradients, v ← μv + g; the rule that
/// owns the state decides how the parameters move along it.
///
/// The `Rule` parameter only names the rule in the saved state (see
/// ``RuleTag``), so a `Nesterov` state never decodes as a `Momentum` state.
///
/// - Complexity: Encoding, decoding and ``validate(for:)`` are O(*n*) and O(leaves).
/// - References: Polyak, *Some methods of speeding up the convergence of
///   iteration methods*, 1964.
public struct VelocityState<Params: Differentiable, Rule>: ZeroStartingState, Equatable {
  /// The rule's name, checked when the state is decoded.
  var rule = RuleTag<Rule>()
  /// The number of updates applied so far.
  public var step: Int
  /// The velocity *v*, shaped like the parameters.
  public var velocity: Params.TangentVector

  /// Creates a state.
  ///
  /// - Parameters:
  ///   - step: The number of updates applied.
  ///   - velocity: The velocity buffer.
  /// - Complexity: O(1).
  @inlinable public init(step: Int, velocity: Params.TangentVector) {
    self.step = step
    self.velocity = velocity
  }

  /// The velocity.
  @inlinable
  public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
    visitor.visit(&velocity, "velocity")
  }

  /// Step 0 and zero velocity.
  @inlinable public init(zerosLike params: Params) { self.init(step: 0, velocity: params.zeroTangentVector) }
}
