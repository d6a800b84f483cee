/// Keeps an exponential moving average of the parameters (Polyak–Ruppert
/// averaging with exponential weights) next to any rule, for evaluation.
///
/// The rule trains the parameters as usual; after each of its steps, with β the
/// ``decay`` and *t* the number of steps so far:
///
///     p ← base.update(p, g)
///     a ← (1 − β) · p + β · a
///
/// and ``averagedParameters(_:like:)`` reads out
///
///     a / (1 − βᵗ)     when debiased (a starts at 0; optax's `ema(β, debias=True)`)
///     a                otherwise    (a starts at the initial parameters)
///
/// The debiased form is `optax.ema` applied to the parameters. The other starts
/// from the initial parameters, like `torch.optim.swa_utils.AveragedModel` with an
/// EMA averaging function (which copies the parameters at its first update
/// instead). The training parameters are never changed by the average.
///
/// ```swift
/// let optimiser = ExponentialMovingAverage(Adam<Model>(), decay: 0.999)
/// let evaluationModel = optimiser.averagedParameters(state, like: model)
/// ```
///
/// - Complexity: The base step plus one O(*n*) pass. Memory: one buffer per
///   parameter.
/// - References: Polyak and Juditsky, *Acceleration of Stochastic Approximation
///   by Averaging*, 1992; optax `ema`; Izmailov et al., *Averaging Weights Leads
///   to Wider Optima and Better Generalization*, 2018.
public struct ExponentialMovingAverage<Base: Optimiser>: Optimiser, HyperparameterDeclaring {
  /// The parameters of the base rule.
  public typealias Params = Base.Params

  /// The training rule.
  public var base: Base
  /// The decay β ∈ [0, 1); default 0.999.
  public var decay: Double
  /// Whether the average starts at zero and is read out divided by 1 − βᵗ
  /// (default `true`), or starts at the initial parameters.
  public let isDebiased: Bool

  /// Creates the wrapper.
  ///
  /// - Parameters:
  ///   - base: The training rule.
  ///   - decay: β ∈ [0, 1); default 0.999.
  ///   - debiased: Default `true`.
  /// - Precondition: β ∈ [0, 1).
  @inlinable public init(_ base: Base, decay: Double = 0.999, debiased: Bool = true) {
    (self.base, self.decay, self.isDebiased) = (base, decay, debiased)
    requireValidHyperparameters()
  }

  /// The average, the step count and the base state.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: Codable, Sendable {
    /// The wrapper's name, checked when the state is decoded.
    var rule = RuleTag<ExponentialMovingAverage>()
    /// The number of steps averaged, *t*.
    public var step: Int
    /// The (biased, if debiasing) average *a*, shaped like the parameters.
    public var average: Params.TangentVector
    /// The base rule's state.
    public var base: Base.State

    /// Creates a state.
    @inlinable public init(step: Int, average: Params.TangentVector, base: Base.State) {
      (self.step, self.average, self.base) = (step, average, base)
    }
  }

  /// Step 0, the average at zero (debiased) or at `params`, and the base
  /// rule's initial state.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    State(
      step: 0, average: isDebiased ? params.zeroTangentVector : LeafCopy.tangent(of: params),
      base: base.initialState(for: params))
  }

  /// The base step, then a ← (1 − β)p + βa.
  ///
  /// - Complexity: The base step plus O(*n*).
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    requireValidHyperparameters()
    base.update(&state.base, &params, gradient, preprocessing: map)
    state.step += 1
    let keep = S(decay), mix = S(1 - decay)
    LeafWalk.forEachBlock(&params, gradient, &state.average, named: "average", preprocessing: IdentityGradientMap()) { b in
      let a = b[0]
      for i in b.indices { a[i] = mix * b.p[i] + keep * a[i] }
    }
  }

  /// The averaged parameters, debiased if ``isDebiased``: `params` with every
  /// leaf replaced by the average's.
  ///
  /// Before the first step the debiased average is undefined (0/0); it then
  /// returns `params` unchanged.
  ///
  /// - Parameters:
  ///   - state: A state of this wrapper.
  ///   - params: The parameters (supplies the structure).
  /// - Returns: The average, for evaluation.
  /// - Complexity: O(*n*).
  @inlinable public func averagedParameters(_ state: State, like params: Params) -> Params {
    typealias S = Params.TangentVector.Scalar
    if isDebiased && state.step == 0 { return params }
    var result = params
    LeafCopy.assign(&result, from: state.average)
    if isDebiased {
      let correction = S(1 - power(decay, Double(state.step)))
      for leaf in 0..<result.parameterLeafCount {
        result.withMutableParameterLeaf(at: leaf) { p in
          for i in 0..<p.count { p[i] /= correction }
        }
      }
    }
    return result
  }

  /// Checks the step, the average's shapes and the base state.
  ///
  /// - Throws: ``OptimiserError`` naming what differs.
  /// - Complexity: O(leaves).
  @inlinable public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
    try LeafWalk.validate(state.average, named: "average", for: params)
    try base.validate(state.base, for: params)
  }

  /// Checks β ∈ [0, 1) and the base rule's hyperparameters.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.unitInterval(decay, "decay"); h.include(base.validateHyperparameters)
  }
}

extension ExponentialMovingAverage.State: Equatable where Base.State: Equatable {}
