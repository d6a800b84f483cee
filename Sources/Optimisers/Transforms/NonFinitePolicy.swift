/// What ``SkipNonFinite`` does with a step whose gradient (or result) is not
/// finite.
///
/// | Policy | A non-finite step | Gives up |
/// |---|---|---|
/// | ``skip`` | is skipped: parameters and inner state untouched, counted | after `maxConsecutive` consecutive skips, at the next non-finite step |
/// | ``propagate`` | is applied anyway (NaN/∞ reach the parameters), counted | never |
/// | ``stop`` | — | at the first non-finite step |
/// | ``applyPastLimit`` | is skipped and counted while at most `maxConsecutive` in a row, then applied anyway | never |
///
/// "Gives up" means: ``SkipNonFinite/checkedUpdate(_:_:_:preprocessing:)`` throws a
/// ``NonFiniteError`` (leaving state and parameters as they were), and the plain
/// ``Optimiser/update(_:_:_:)->()`` stops the program with the same message. A
/// training loop that wants to handle the error calls `checkedUpdate`.
///
/// - Complexity: O(1).
/// - References: optax `apply_if_finite` (skip, then apply after
///   `max_consecutive_errors`: ``applyPastLimit``), 2021; PyTorch AMP `GradScaler` (skips steps with
///   non-finite gradients), 2020.
public enum NonFinitePolicy: String, Codable, Sendable, CaseIterable {
  /// Skip the step and count it; give up after too many consecutive skips.
  case skip
  /// Apply the step anyway and count it; never give up.
  case propagate
  /// Give up at the first non-finite step.
  case stop
  /// Skip and count, as ``skip``; past `maxConsecutive` consecutive
  /// non-finite steps, apply them anyway and never give up: optax's
  /// `apply_if_finite(inner, max_consecutive_errors)`.
  case applyPastLimit
}
