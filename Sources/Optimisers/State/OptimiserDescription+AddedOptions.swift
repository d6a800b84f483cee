extension OptimiserDescription {
  /// The reflected description of `rule` without the options it declares at
  /// their defaults (``HyperparameterVisitor/addedOption(_:isDefault:)``):
  /// options added after checkpoints were first written (`epsilonRoot`,
  /// `dampening`, …) are recorded only away from their default, so a
  /// checkpoint written before they existed still loads into a rule that
  /// leaves them at that default, and one written with another value is
  /// refused by name.
  static func reflecting(declared rule: some HyperparameterDeclaring, depth: Int, params: (any Differentiable)?) -> OptimiserDescription {
    var result = reflecting(rule, depth: depth, params: params)
    var defaulted = DefaultedOptions()
    rule.declareHyperparameters(&defaulted)
    result.hyperparameters.removeAll { defaulted.names.contains($0.name) }
    result.components.removeAll { defaulted.names.contains($0.label) }
    return result
  }
}

/// Collects the names of the added options that are at their defaults.
private struct DefaultedOptions: HyperparameterVisitor {
  var names: [String] = []
  mutating func declare(_ value: Double, _ name: StaticString, _ range: HyperparameterRange) {}
  mutating func require(_ condition: Bool, _ name: StaticString, _ value: Double, _ requirement: StaticString) {}
  mutating func include(_ validate: () throws(OptimiserError) -> Void) {}
  mutating func addedOption(_ name: StaticString, isDefault: Bool) {
    if isDefault { names.append(String(describing: name)) }
  }
}

extension CheckpointDescribable where Self: HyperparameterDeclaring {
  /// The reflected description, without the added options at their defaults
  /// (those declared with ``HyperparameterVisitor/option(_:_:in:)``).
  public var checkpointDescription: OptimiserDescription { .reflecting(declared: self, depth: 0, params: nil) }
}
