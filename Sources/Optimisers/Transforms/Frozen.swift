/// The rule that never moves anything: frozen parameters (Optimisers.jl's
/// `freeze!`, optax's `set_to_zero` in a `multi_transform`).
///
/// Use it as one side of a ``Partition`` to freeze some leaves bit for bit:
///
/// ```swift
/// let optimiser = Partition(Frozen(), for: \Model.embedding, otherwise: Adam(learningRate: 1e-3))
/// ```
///
///     p ← p
///
/// ``Partition`` recognises it and does not even copy the frozen leaves.
///
/// - Complexity: O(1) per step; no state.
/// - References: Optimisers.jl `freeze!`, 2022; optax `set_to_zero`.
public struct Frozen<Params: Differentiable>: Optimiser, FrozenRule {
  /// Nothing changes, so nothing is kept.
  public typealias State = NoState

  /// Creates the rule.
  @inlinable public init() {}

  /// The empty state.
  @inlinable public func initialState(for params: Params) -> NoState { NoState() }

  /// Leaves `state` and `params` as they are.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout NoState, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {}

  /// Nothing to check.
  @inlinable public func validate(_ state: NoState, for params: Params) throws(OptimiserError) {}

  /// Nothing to check.
  @inlinable public func validateHyperparameters() throws(OptimiserError) {}
}
