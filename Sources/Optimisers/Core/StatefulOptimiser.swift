/// What every optimiser has, whether it takes a gradient (``Optimiser``) or
/// calls the objective itself (``ObjectiveOptimiser``): the parameter type, an
/// explicit state, the checks of both, and checkpoints
/// (``checkpoint(_:for:includingParameters:)``,
/// ``restore(from:for:hyperparameters:nonFiniteValues:)``).
public protocol StatefulOptimiser<Params>: HyperparameterValidating {
  /// The parameter type this optimiser trains.
  associatedtype Params: Differentiable
  /// Everything that changes between steps: a plain `Codable`, `Sendable` value.
  associatedtype State: Codable & Sendable

  /// The state before the first step, with buffers shaped like `params`.
  ///
  /// - Parameter params: The parameters to be trained.
  /// - Complexity: O(*n*) for optimisers with buffers.
  func initialState(for params: Params) -> State

  /// Checks that `state` fits `params` (leaf count and shapes, history
  /// lengths) and this optimiser.
  ///
  /// Call it after decoding a state, before the first step.
  ///
  /// - Throws: ``OptimiserError`` naming the leaf and both shapes, or the counts.
  /// - Complexity: O(leaves).
  func validate(_ state: State, for params: Params) throws(OptimiserError)
}

extension StatefulOptimiser {
  /// Returns `state` if it fits `params` and this optimiser.
  ///
  /// - Throws: ``OptimiserError`` naming what differs.
  /// - Complexity: O(leaves).
  @inlinable
  public func validated(_ state: State, for params: Params) throws(OptimiserError) -> State {
    try validate(state, for: params)
    return state
  }
}
