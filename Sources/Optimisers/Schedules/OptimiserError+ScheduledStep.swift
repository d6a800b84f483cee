extension OptimiserError {
  /// Runs `validate` on a rule whose hyperparameters a schedule set for `step`,
  /// and names the wrapper and the step in an out-of-range error: the rule
  /// `Adam` becomes `Scheduled(Adam) at step 2`. Other errors pass unchanged.
  ///
  /// Shared by ``Scheduled/checkedBase(at:)`` and
  /// ``ScheduledObjective/checkedBase(at:)``.
  ///
  /// - Parameters:
  ///   - wrapper: The scheduling type's name.
  ///   - step: The number of updates already applied.
  ///   - validate: The adjusted rule's `validateHyperparameters`.
  @usableFromInline static func checkingScheduled(
    by wrapper: String, at step: Int, _ validate: () throws(OptimiserError) -> Void
  ) throws(OptimiserError) {
    do { try validate() } catch {
      if case let .invalidHyperparameter(rule, name, value, requirement) = error {
        throw .invalidHyperparameter(
          rule: "\(wrapper)(\(rule)) at step \(step)", name: name, value: value, requirement: requirement)
      }
      throw error
    }
  }
}
