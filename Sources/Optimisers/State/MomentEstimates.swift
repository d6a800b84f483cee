/// The state of the rules that keep a step count and two moment estimates
/// shaped like the parameters: `Adam`, `AdamW`, `RAdam`, `LAMB` and `Yogi`.
///
/// *m* estimates the gradient's mean and *v* its uncentred second moment,
/// both as exponential moving averages, m ← β₁m + (1 − β₁)g and
/// v ← β₂v + (1 − β₂)g² (Yogi changes *v*'s update, not its meaning). The rule
/// that owns the state corrects their bias by 1 − βᵗ when it reads them, using
/// ``step`` as t.
///
/// The `Rule` parameter only names the rule in the saved state (see
/// ``RuleTag``), so an `AdamW` state never decodes as an `Adam` state.
///
/// - Complexity: Encoding, decoding and ``validate(for:)`` are O(*n*) and O(leaves).
/// - References: Kingma and Ba, *Adam: A Method for Stochastic Optimization*, 2015.
public struct MomentEstimates<Params: Differentiable, Rule>: ZeroStartingState, Equatable {
  /// The rule's name, checked when the state is decoded.
  var rule = RuleTag<Rule>()
  /// The number of updates applied so far (t after the update).
  public var step: Int
  /// The first-moment estimate *m*, shaped like the parameters.
  public var firstMoment: Params.TangentVector
  /// The second-moment estimate *v*, shaped like the parameters.
  public var secondMoment: Params.TangentVector

  /// Creates a state.
  ///
  /// - Parameters:
  ///   - step: The number of updates applied.
  ///   - firstMoment: *m*.
  ///   - secondMoment: *v*.
  /// - Complexity: O(1).
  @inlinable
  public init(step: Int, firstMoment: Params.TangentVector, secondMoment: Params.TangentVector) {
    self.step = step
    self.firstMoment = firstMoment
    self.secondMoment = secondMoment
  }

  /// The state before the first step: step 0 and both moments zero, shaped
  /// like `params`.
  ///
  /// - Parameter params: The parameters to be trained.
  /// - Complexity: O(*n*).
  @inlinable
  public init(zerosLike params: Params) {
    let zero = params.zeroTangentVector
    self.init(step: 0, firstMoment: zero, secondMoment: zero)
  }

  /// *m* then *v*.
  @inlinable
  public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
    visitor.visit(&firstMoment, "firstMoment")
    visitor.visit(&secondMoment, "secondMoment")
  }
}
