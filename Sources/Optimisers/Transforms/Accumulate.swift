/// Gradient accumulation: the base rule steps once every *k* calls, with the mean
/// (or the sum) of the last *k* gradients (optax's `MultiSteps`).
///
/// With *n* the number of gradients accumulated before this call (0 ≤ *n* < *k*)
/// and g′ = map(g):
///
///     a ← g′                          if n = 0
///     a ← a + (g′ − a) / (n + 1)      mean mode (a running mean), n > 0
///     a ← a + g′                      sum mode, n > 0
///     n ← n + 1
///     if n = k:  base.update(p, a);  n ← 0
///
/// The running mean is optax's `MultiSteps(use_grad_mean=True)` formula, so the
/// accumulated gradient matches it to rounding; on the other calls the
/// parameters and the base state are untouched (optax emits zero updates). The
/// only buffer is the accumulator: on the *k*-th call it is handed to the base
/// rule as the gradient, and the next call overwrites it.
///
/// ```swift
/// let optimiser = Accumulate(every: 4, Adam<Model>(learningRate: 1e-3))
/// ```
///
/// `Accumulate(every: 1, base)` equals `base` bit for bit. Where it sits in a
/// chain decides what is accumulated: `Chain(ClipGlobalNorm(1), Accumulate(every:
/// 4, Adam<M>()))` clips each micro-batch gradient, `Accumulate(every: 4,
/// Chain(ClipGlobalNorm(1), Adam<M>()))` clips their mean. Wrap it in
/// ``SkipNonFinite`` to keep a non-finite micro-batch out of the accumulator.
///
/// - Complexity: O(*n*) per call (one pass over the accumulator), plus the base
///   rule's step on every *k*-th call. Memory: one buffer per parameter.
/// - References: optax `MultiSteps`, 2020; Ott et al., *Scaling Neural Machine
///   Translation*, 2018 (accumulating over micro-batches).
public struct Accumulate<Base: Optimiser>: Optimiser {
  /// The parameters of the base rule.
  public typealias Params = Base.Params

  /// The number of calls per base step, *k* ≥ 1.
  public var every: Int
  /// Whether the base rule sees the mean or the sum; default ``AccumulationMode/mean``.
  public var mode: AccumulationMode
  /// The rule applied every *k*-th call.
  public var base: Base

  /// Creates the wrapper.
  ///
  /// - Parameters:
  ///   - every: *k* ≥ 1.
  ///   - base: The rule.
  ///   - mode: ``AccumulationMode/mean`` (default) or ``AccumulationMode/sum``.
  /// - Precondition: `every` ≥ 1.
  @inlinable public init(every: Int, _ base: Base, mode: AccumulationMode = .mean) {
    (self.every, self.base, self.mode) = (every, base, mode)
    requireValidHyperparameters()
  }

  /// The accumulator, the number of gradients in it, and the base state.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: Codable, Sendable {
    /// The wrapper's name, checked when the state is decoded.
    var rule = RuleTag<Accumulate>()
    /// The number of gradients accumulated since the last base step, in 0..<*k*.
    public var count: Int
    /// The accumulated gradient *a*; meaningful only when `count` > 0.
    public var accumulator: Params.TangentVector
    /// The base rule's state.
    public var base: Base.State

    /// Creates a state.
    @inlinable public init(count: Int, accumulator: Params.TangentVector, base: Base.State) {
      (self.count, self.accumulator, self.base) = (count, accumulator, base)
    }
  }

  /// An empty accumulator (zeros) and the base rule's initial state.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    State(count: 0, accumulator: params.zeroTangentVector, base: base.initialState(for: params))
  }

  /// Accumulates map(g); on the *k*-th call, steps the base rule with the
  /// accumulated gradient.
  ///
  /// - Complexity: O(*n*), plus the base step every *k*-th call.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    requireValidHyperparameters()
    let n = state.count
    let divisor = S(n + 1)
    let isMean = mode == .mean
    LeafWalk.forEachBlock(&params, gradient, &state.accumulator, named: "accumulator", preprocessing: map) { b in
      let a = b[0]
      if n == 0 {
        for i in b.indices { a[i] = b.gradient(i) }
      } else if isMean {
        for i in b.indices { a[i] += (b.gradient(i) - a[i]) / divisor }
      } else {
        for i in b.indices { a[i] += b.gradient(i) }
      }
    }
    if n + 1 >= every {
      state.count = 0
      base.update(&state.base, &params, state.accumulator, preprocessing: IdentityGradientMap())
      return
    }
    state.count = n + 1
  }

  /// Checks the count, the accumulator's shapes and the base state.
  ///
  /// - Throws: ``OptimiserError`` naming what differs.
  /// - Complexity: O(leaves).
  @inlinable public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    guard state.count >= 0, state.count < every else {
      throw .invalidState("accumulated count \(state.count) is outside 0..<\(every)")
    }
    try LeafWalk.validate(state.accumulator, named: "accumulator", for: params)
    try base.validate(state.base, for: params)
  }

  /// Checks `every` ≥ 1 and the base rule's hyperparameters.
  @inlinable public func validateHyperparameters() throws(OptimiserError) {
    guard every >= 1 else {
      throw .invalidHyperparameter(rule: "Accumulate", name: "every", value: Double(every), requirement: "≥ 1")
    }
    try base.validateHyperparameters()
  }
}

extension Accumulate.State: Equatable where Base.State: Equatable {}
