/// The state of a ``Quantised`` rule: the step count and the moments in 8
/// bits per value, one ``QuantisedTensor`` per parameter leaf.
///
/// `firstMoment` uses the signed map (Adam's *m*, Lion's and Momentum's
/// momentum); `secondMoment` (Adam's and AdamW's *v*) the unsigned map, and
/// is `nil` for rules without one. The `Rule` parameter names the base rule in
/// the saved state (see ``RuleTag``).
///
/// - Complexity: Encoding is O(*n*); the codes are written as they are.
public struct QuantisedState<Rule>: Codable, Sendable, Equatable {
  /// The base rule's name, checked when the state is decoded.
  var rule = RuleTag<Rule>()
  /// The number of updates applied so far.
  public var step: Int
  /// The first moment (or momentum), signed map.
  public var firstMoment: [QuantisedTensor]
  /// The second moment, unsigned map; `nil` when the rule keeps none.
  public var secondMoment: [QuantisedTensor]?

  /// Creates a state.
  public init(step: Int, firstMoment: [QuantisedTensor], secondMoment: [QuantisedTensor]?) {
    self.step = step
    self.firstMoment = firstMoment
    self.secondMoment = secondMoment
  }

  /// The bytes the moments occupy: codes and scales.
  public var byteCount: Int {
    let tensors = firstMoment + (secondMoment ?? [])
    return tensors.reduce(0) { $0 + $1.count + 4 * $1.blockCount }
  }
}
