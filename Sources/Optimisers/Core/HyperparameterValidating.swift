/// Something with hyperparameters to check: every ``Optimiser``,
/// ``ObjectiveOptimiser`` and ``GradientTransform``.
///
/// Rules written on the kit get ``validateHyperparameters()`` from their
/// declarations (``HyperparameterDeclaring``); the checks that stop a run and
/// the key-path adjustment follow from it.
public protocol HyperparameterValidating: Sendable {
  /// Checks every hyperparameter's range.
  ///
  /// - Throws: ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``.
  func validateHyperparameters() throws(OptimiserError)
}

extension HyperparameterValidating {
  /// Checks hyperparameters and stops with the error's message if one is out of
  /// range.
  @inlinable
  public func requireValidHyperparameters() {
    do { try validateHyperparameters() } catch { preconditionFailure(error.description) }
  }

  /// A copy with one hyperparameter changed, such as `\.learningRate` or a
  /// transform's `\.maxNorm`.
  ///
  /// - Parameters:
  ///   - keyPath: The hyperparameter.
  ///   - value: Its new value.
  /// - Precondition: The new value is in range.
  @inlinable
  public func adjusted<Value>(_ keyPath: WritableKeyPath<Self, Value>, to value: Value) -> Self {
    var copy = self
    copy[keyPath: keyPath] = value
    copy.requireValidHyperparameters()
    return copy
  }
}
