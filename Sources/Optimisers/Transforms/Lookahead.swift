/// Lookahead: the base rule moves fast weights for *k* steps, then the slow
/// weights take one step of size α towards them and the fast weights restart
/// from there.
///
/// Our parameters are the fast weights φ; the slow weights θ live in the state
/// (starting equal to the initial parameters). Each call, with *n* the steps
/// since the last synchronisation:
///
///     φ ← base.update(φ, g);  n ← n + 1
///     if n = k:   θ ← θ + α (φ − θ);   φ ← θ;   n ← 0
///                 (and, with resetsState, the base state is re-initialised)
///
/// This is `optax.lookahead(fast, sync_period=k, slow_step_size=α)`. In optax the
/// parameters are a `LookaheadParams(fast, slow)` pair the caller holds; here the
/// caller holds only the fast weights (what the model computes with during
/// training) and the slow ones are in ``State/slow``. After a synchronising call
/// both are equal; evaluate with ``slowParameters(_:like:)`` in between.
///
/// ```swift
/// let optimiser = Lookahead(Adam<Model>(), syncPeriod: 5, slowStepSize: 0.5)
/// let evaluationModel = optimiser.slowParameters(state, like: model)
/// ```
///
/// - Complexity: The base step, plus one O(*n*) pass every *k*-th call. Memory:
///   one buffer per parameter (θ).
/// - References: Zhang, Lucas, Hinton and Ba, *Lookahead Optimizer: k steps
///   forward, 1 step back*, NeurIPS 2019; optax `lookahead`.
public struct Lookahead<Base: Optimiser>: Optimiser, HyperparameterDeclaring {
  /// The parameters of the base rule.
  public typealias Params = Base.Params

  /// The fast rule.
  public var base: Base
  /// The synchronisation period *k* ≥ 1.
  public var syncPeriod: Int
  /// The slow step size α ∈ [0, 1].
  public var slowStepSize: Double
  /// Whether the base state is re-initialised at every synchronisation; default
  /// `false` (optax's `reset_state`).
  public var resetsState: Bool

  /// Creates the wrapper.
  ///
  /// - Parameters:
  ///   - base: The fast rule.
  ///   - syncPeriod: *k* ≥ 1.
  ///   - slowStepSize: α ∈ [0, 1].
  ///   - resetsState: Default `false`.
  /// - Precondition: The hyperparameters are in range.
  @inlinable
  public init(_ base: Base, syncPeriod: Int, slowStepSize: Double, resetsState: Bool = false) {
    (self.base, self.syncPeriod, self.slowStepSize, self.resetsState) = (base, syncPeriod, slowStepSize, resetsState)
    requireValidHyperparameters()
  }

  /// The slow weights, the steps since synchronisation and the base state.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: Codable, Sendable {
    /// The wrapper's name, checked when the state is decoded.
    var rule = RuleTag<Lookahead>()
    /// The slow weights θ, shaped like the parameters.
    public var slow: Params.TangentVector
    /// The number of fast steps since the last synchronisation, in 0..<*k*.
    public var stepsSinceSync: Int
    /// The base rule's state.
    public var base: Base.State

    /// Creates a state.
    @inlinable public init(slow: Params.TangentVector, stepsSinceSync: Int, base: Base.State) {
      (self.slow, self.stepsSinceSync, self.base) = (slow, stepsSinceSync, base)
    }
  }

  /// Slow weights equal to `params`, and the base rule's initial state.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    State(slow: LeafCopy.tangent(of: params), stepsSinceSync: 0, base: base.initialState(for: params))
  }

  /// One fast step; every *k*-th call, the slow step and the reset of the fast
  /// weights.
  ///
  /// - Complexity: The base step, plus O(*n*) every *k*-th call.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    requireValidHyperparameters()
    base.update(&state.base, &params, gradient, preprocessing: map)
    let steps = state.stepsSinceSync + 1
    guard steps >= syncPeriod else {
      state.stepsSinceSync = steps
      return
    }
    state.stepsSinceSync = 0
    let alpha = S(slowStepSize)
    LeafWalk.forEachBlock(&params, gradient, &state.slow, named: "slow", preprocessing: IdentityGradientMap()) { b in
      let slow = b[0]
      for i in b.indices {
        let updated = slow[i] + alpha * (b.p[i] - slow[i])
        (slow[i], b.p[i]) = (updated, updated)
      }
    }
    if resetsState { state.base = base.initialState(for: params) }
  }

  /// The slow weights θ as parameters: `params` with every leaf replaced by θ's.
  ///
  /// - Parameters:
  ///   - state: A state of this wrapper.
  ///   - params: The parameters (supplies the structure and any non-parameter
  ///     fields).
  /// - Returns: The slow weights, for evaluation.
  /// - Complexity: O(*n*).
  @inlinable public func slowParameters(_ state: State, like params: Params) -> Params {
    var result = params
    LeafCopy.assign(&result, from: state.slow)
    return result
  }

  /// Checks the count, the slow weights' shapes and the base state.
  ///
  /// - Throws: ``OptimiserError`` naming what differs.
  /// - Complexity: O(leaves).
  @inlinable public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    guard state.stepsSinceSync >= 0, state.stepsSinceSync < syncPeriod else {
      throw .invalidState("steps since synchronisation \(state.stepsSinceSync) is outside 0..<\(syncPeriod)")
    }
    try LeafWalk.validate(state.slow, named: "slow", for: params)
    try base.validate(state.base, for: params)
  }

  /// Checks *k* ≥ 1, α ∈ [0, 1] and the base rule's hyperparameters.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.require(syncPeriod >= 1, "syncPeriod", Double(syncPeriod), "≥ 1")
    h.closedUnitInterval(slowStepSize, "slowStepSize")
    h.include(base.validateHyperparameters)
  }
}

extension Lookahead.State: Equatable where Base.State: Equatable {}
