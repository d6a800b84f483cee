/// Protects any rule from NaN and ∞: a step whose gradient is not finite leaves
/// the parameters and the inner state untouched and is counted; too many in a
/// row is an error (optax's `apply_if_finite`).
///
/// ```swift
/// let optimiser = SkipNonFinite(Adam<Model>(), maxConsecutive: 3)
/// do {
///   try optimiser.checkedUpdate(&state, &model, gradient)   // throws, never traps
/// } catch {
///   print(error)   // "... gave up: 4 consecutive non-finite step(s), 9 in total"
/// }
/// optimiser.update(&state, &model, gradient)                // traps with that message instead
/// ```
///
/// Each call, with c the consecutive count and *N* = `maxConsecutive`:
///
///     if the step is finite:   base.update(state, p, g);  c ← 0
///     else, policy .skip:      c ← c + 1; give up if c > N, else skip (p, inner state untouched)
///     else, policy .propagate: base.update(state, p, g);  c ← c + 1   (NaN reaches p)
///     else, policy .stop:      give up
///     else, .applyPastLimit:   c ← c + 1; skip if c ≤ N, else base.update(state, p, g)   (optax's apply_if_finite)
///
/// and every non-finite step adds one to ``State/nonFiniteSteps``. Giving up
/// leaves state and parameters exactly as before the call: ``checkedUpdate(_:_:_:preprocessing:)``
/// throws ``NonFiniteError``; ``update(_:_:_:preprocessing:)``, which cannot
/// throw, stops with the error's message. What is checked is ``check``: the
/// gradient as the inner rule would see it (default, one read-only pass), the
/// parameters after a trial step (catches overflow inside the rule), or the
/// parameters and the state after a trial step (also catches a huge but finite
/// gradient that overflows a moment to +∞). ``checkedUpdate(_:_:_:preprocessing:)`` also
/// throws, instead of stopping, when the inner optimiser cannot take the step
/// (a scheduled hyperparameter out of range at this step, an invalid state) or
/// the counters would overflow (``NonFiniteError/Reason``).
///
/// optax's `apply_if_finite(inner, max_consecutive_errors=N)` inspects the
/// gradient it receives, as ``NonFiniteCheck/gradient`` does, and skips the same
/// steps with the same counts (its `total_notfinite` and `notfinite_count`);
/// when it gives up it applies the non-finite update (our
/// ``NonFinitePolicy/propagate`` from then on) rather than reporting.
///
/// On finite gradients `SkipNonFinite(base)` equals `base` bit for bit.
///
/// Where to put it: outermost, `SkipNonFinite(Chain(ClipGlobalNorm(1), Adam<M>()))`,
/// to call ``checkedUpdate(_:_:_:preprocessing:)`` on the whole step (a NaN in the gradient
/// makes the clip's norm NaN, and the whole gradient with it, so the check
/// sees it either way); inside a chain, `Chain(ClipGlobalNorm(1),
/// SkipNonFinite(Adam<M>()))`, it checks the gradient as transformed by the
/// earlier members but can only report through the trapping `update`. Around
/// ``Accumulate`` it keeps a non-finite micro-batch out of the accumulator.
///
/// - Complexity: The base step plus one O(*n*) read-only pass
///   (``NonFiniteCheck/gradient``), or plus one copy of the parameters and the
///   state (``NonFiniteCheck/parameters``).
/// - References: optax `apply_if_finite`, 2021; Micikevicius et al., *Mixed
///   Precision Training*, ICLR 2018 (skipping steps with overflowed gradients).
public struct SkipNonFinite<Base: Optimiser>: Optimiser {
  /// The parameters of the base rule.
  public typealias Params = Base.Params

  /// The protected rule.
  public var base: Base
  /// What to do with a non-finite step; default ``NonFinitePolicy/skip``.
  public var policy: NonFinitePolicy
  /// How many consecutive non-finite steps ``NonFinitePolicy/skip`` skips before
  /// it gives up at the next one, *N* ≥ 0; default 10.
  public var maxConsecutive: Int
  /// What is inspected; default ``NonFiniteCheck/gradient``.
  public var check: NonFiniteCheck

  /// Creates the wrapper.
  ///
  /// - Parameters:
  ///   - base: The rule to protect.
  ///   - policy: Default ``NonFinitePolicy/skip``.
  ///   - maxConsecutive: *N* ≥ 0; default 10.
  ///   - check: Default ``NonFiniteCheck/gradient``.
  /// - Precondition: `maxConsecutive` ≥ 0.
  /// - Complexity: O(1).
  @inlinable
  public init(
    _ base: Base, policy: NonFinitePolicy = .skip, maxConsecutive: Int = 10, check: NonFiniteCheck = .gradient
  ) {
    self.base = base
    self.policy = policy
    self.maxConsecutive = maxConsecutive
    self.check = check
    requireValidHyperparameters()
  }

  /// The base state and the non-finite counts.
  ///
  /// - Complexity: Encoding costs the base state's encoding.
  public struct State: Codable, Sendable {
    /// The wrapper's name, checked when the state is decoded.
    var rule = RuleTag<SkipNonFinite>()
    /// The base rule's state (untouched by skipped steps).
    public var base: Base.State
    /// Non-finite steps since the state was created.
    public var nonFiniteSteps: Int
    /// Non-finite steps since the last finite one.
    public var consecutiveNonFiniteSteps: Int

    /// Creates a state.
    ///
    /// - Complexity: O(1).
    @inlinable public init(base: Base.State, nonFiniteSteps: Int = 0, consecutiveNonFiniteSteps: Int = 0) {
      self.base = base
      self.nonFiniteSteps = nonFiniteSteps
      self.consecutiveNonFiniteSteps = consecutiveNonFiniteSteps
    }
  }

  /// The base rule's initial state and zero counts.
  ///
  /// - Complexity: The base rule's cost.
  @inlinable public func initialState(for params: Params) -> State {
    State(base: base.initialState(for: params))
  }

  /// One protected step; stops the program if the policy gives up (use
  /// ``checkedUpdate(_:_:_:preprocessing:)`` to get a thrown error instead).
  ///
  /// - Precondition: The policy does not give up on this step.
  /// - Complexity: The base step plus the check.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    if let error = protectedStep(&state, &params, gradient, map) {
      preconditionFailure("\(error.description); call checkedUpdate to handle this as a thrown error")
    }
  }

  /// One protected step that reports giving up as a thrown error.
  ///
  /// - Parameters:
  ///   - state: The state; advanced unless the call throws.
  ///   - params: The parameters; moved unless the step is skipped or the call
  ///     throws.
  ///   - gradient: The gradient at `params`.
  ///   - map: An elementwise map applied to each gradient element first.
  /// - Throws: ``NonFiniteError`` when the policy gives up; `state` and `params`
  ///   are then exactly as before the call.
  /// - Complexity: The base step plus the check.
  @inlinable
  public func checkedUpdate<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) throws(NonFiniteError) {
    if let error = protectedStep(&state, &params, gradient, map) { throw error }
  }

  /// One protected step that reports giving up as a thrown error.
  ///
  /// - Throws: ``NonFiniteError`` when the policy gives up; `state` and `params`
  ///   are then exactly as before the call.
  /// - Complexity: The base step plus the check.
  @inlinable
  public func checkedUpdate(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector
  ) throws(NonFiniteError) {
    try checkedUpdate(&state, &params, gradient, preprocessing: IdentityGradientMap())
  }

  /// The shared step: returns the error instead of raising it.
  @inlinable
  func protectedStep<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, _ map: Map
  ) -> NonFiniteError? {
    if let refusal = refusal(state, params) { return refusal }
    switch check {
    case .gradient:
      if SkipNonFinite.isFinite(gradient, through: map, at: params) {
        base.update(&state.base, &params, gradient, preprocessing: map)
        state.consecutiveNonFiniteSteps = 0
        return nil
      }
      if let error = recordNonFinite(&state) { return error }
      if appliesNonFinite(state) { base.update(&state.base, &params, gradient, preprocessing: map) }
      return nil
    case .parameters, .parametersAndState:
      var trialState = state.base
      var trialParams = params
      base.update(&trialState, &trialParams, gradient, preprocessing: map)
      if SkipNonFinite.isFinite(trialParams) && (check == .parameters || SkipNonFinite.stateIsFinite(trialState)) {
        state.base = trialState
        params = trialParams
        state.consecutiveNonFiniteSteps = 0
        return nil
      }
      if let error = recordNonFinite(&state) { return error }
      if appliesNonFinite(state) {
        state.base = trialState
        params = trialParams
      }
      return nil
    }
  }

  /// Counts a non-finite step, or returns the error (changing nothing) if the
  /// policy gives up or a counter would overflow.
  @inlinable
  func recordNonFinite(_ state: inout State) -> NonFiniteError? {
    let (consecutive, overflowA) = state.consecutiveNonFiniteSteps.addingReportingOverflow(1)
    let (total, overflowB) = state.nonFiniteSteps.addingReportingOverflow(1)
    if overflowA || overflowB {
      var error = NonFiniteError(consecutive: state.consecutiveNonFiniteSteps, total: state.nonFiniteSteps, policy: policy)
      error.reason = .counterOverflow
      return error
    }
    switch policy {
    case .stop:
      return NonFiniteError(consecutive: consecutive, total: total, policy: policy)
    case .skip where consecutive > maxConsecutive:
      return NonFiniteError(consecutive: consecutive, total: total, policy: policy)
    case .skip, .propagate, .applyPastLimit:
      state.consecutiveNonFiniteSteps = consecutive
      state.nonFiniteSteps = total
      return nil
    }
  }

  /// Whether map(g, p) is finite for every element (a zero-leaf gradient is
  /// read as zeros).
  ///
  /// Sums x − x, which is 0 for finite x and NaN otherwise, in eight partial
  /// sums, so the loop has no branch and vectorises.
  ///
  /// - Complexity: O(*n*), one read-only pass, stopping at the first bad leaf.
  /// Whether a counted non-finite step is applied: always under `.propagate`,
  /// past `maxConsecutive` in a row under `.applyPastLimit`.
  @inlinable
  func appliesNonFinite(_ state: State) -> Bool {
    policy == .propagate || (policy == .applyPastLimit && state.consecutiveNonFiniteSteps > maxConsecutive)
  }

  @inlinable
  static func isFinite<Map: GradientMap>(
    _ gradient: Params.TangentVector, through map: Map, at params: Params
  ) -> Bool {
    let gradient = LeafWalk.checkedGradient(params, gradient)
    for leaf in 0..<params.parameterLeafCount {
      let map = map.forLeaf(leaf)
      let finite = params.withParameterLeaf(at: leaf) { p in
        gradient.withLeaf(at: leaf) { g in LeafReduction.isFinite(g, p, map) }
      }
      if !finite { return false }
    }
    return true
  }

  /// Whether every parameter is finite.
  ///
  /// - Complexity: O(*n*).
  @inlinable
  static func isFinite(_ params: Params) -> Bool {
    for leaf in 0..<params.parameterLeafCount {
      let finite = params.withParameterLeaf(at: leaf) { p in LeafReduction.isFinite(p, p, IdentityGradientMap()) }
      if !finite { return false }
    }
    return true
  }

  /// Checks the counts (0 ≤ consecutive ≤ total ≤ 2⁵³, so counting further
  /// steps cannot overflow) and the base state.
  ///
  /// - Throws: ``OptimiserError`` naming what differs.
  /// - Complexity: O(leaves).
  @inlinable public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    guard state.nonFiniteSteps >= 0, state.consecutiveNonFiniteSteps >= 0,
      state.consecutiveNonFiniteSteps <= state.nonFiniteSteps, state.nonFiniteSteps <= 1 << 53
    else {
      throw .invalidState(
        "SkipNonFinite's counts (\(state.consecutiveNonFiniteSteps) consecutive of \(state.nonFiniteSteps) non-finite steps) are impossible: each must be in 0…2^53 and consecutive ≤ total")
    }
    try base.validate(state.base, for: params)
  }

  /// The error for a step that cannot run: invalid hyperparameters (of the
  /// wrapper or, at this step, of a scheduled base), or an invalid state.
  @inlinable
  func refusal(_ state: State, _ params: Params) -> NonFiniteError? {
    do {
      try validateHyperparameters()
      try validate(state, for: params)
      return nil
    } catch {
      var refused = NonFiniteError(
        consecutive: state.consecutiveNonFiniteSteps, total: state.nonFiniteSteps, policy: policy)
      refused.reason = .invalid(error)
      return refused
    }
  }

  /// Whether every floating-point value in `state` is finite.
  ///
  /// - Complexity: O(*n*): the state is encoded as a ``StateTree``.
  @usableFromInline
  static func stateIsFinite(_ state: Base.State) -> Bool {
    guard let tree = try? StateTree(encoding: state) else { return false }
    return !tree.containsNonFinite
  }

  /// Checks `maxConsecutive` ≥ 0 and the base rule's hyperparameters.
  ///
  /// - Complexity: O(1).
  @inlinable public func validateHyperparameters() throws(OptimiserError) {
    guard maxConsecutive >= 0 else {
      throw .invalidHyperparameter(
        rule: "SkipNonFinite", name: "maxConsecutive", value: Double(maxConsecutive), requirement: "≥ 0")
    }
    try base.validateHyperparameters()
  }
}

extension SkipNonFinite.State: Equatable where Base.State: Equatable {}
