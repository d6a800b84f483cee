/// Stochastic weight averaging (SWA): an equal-weight running average of the
/// parameters, taken every *k* steps from step *s* on, next to any rule.
///
/// The rule trains the parameters as usual; after its step t (counted from
/// 1), when t ≥ *s* and (t − *s*) is a multiple of *k*, with *n* the number of
/// parameter sets averaged so far:
///
///     a ← p                        (n = 0)
///     a ← a + (p − a) / (n + 1)    (n > 0)
///     n ← n + 1
///
/// Before the first average, *a* holds the initial parameters. This is
/// `torch.optim.swa_utils.AveragedModel(model)` with
/// `update_parameters(model)` called after those steps (its default equal
/// average, as it computes it on the CPU); drive the rule's rate with
/// ``SWALR`` for torch's `SWALR`, e.g.
///
/// ```swift
/// let sgd = Scheduled(SGD<Model>(learningRate: 0.1), \.learningRate, by: SWALR(initial: 0.1, swaRate: 0.05))
/// let optimiser = StochasticWeightAveraging(sgd, start: 100, every: 10)
/// let evaluationModel = optimiser.averagedParameters(state, like: model)
/// ```
///
/// For an exponential average use ``ExponentialMovingAverage``. Normalisation
/// statistics of the averaged model (torch's `update_bn`) are the model's
/// business: recompute them with the averaged parameters.
///
/// - Complexity: The base step plus one O(*n*) pass on averaging steps.
///   Memory: one buffer per parameter.
/// - References: Izmailov, Podoprikhin, Garipov, Vetrov and Wilson, *Averaging
///   Weights Leads to Wider Optima and Better Generalization*, UAI 2018.
public struct StochasticWeightAveraging<Base: Optimiser>: Optimiser, HyperparameterDeclaring {
  /// The parameters of the base rule.
  public typealias Params = Base.Params

  /// The training rule.
  public var base: Base
  /// The first step *s* ≥ 1 averaged; default 1.
  public var start: Int
  /// The period *k* ≥ 1 between averaged steps; default 1.
  public var every: Int

  /// Creates the wrapper; stops with a message unless *s* ≥ 1 and *k* ≥ 1.
  @inlinable public init(_ base: Base, start: Int = 1, every: Int = 1) {
    (self.base, self.start, self.every) = (base, start, every)
    requireValidHyperparameters()
  }

  /// The average, how many parameter sets it holds, the step count and the base state.
  public struct State: Codable, Sendable {
    /// The wrapper's name, checked when the state is decoded.
    var rule = RuleTag<StochasticWeightAveraging>()
    /// The number of steps taken, t.
    public var step: Int
    /// The number of parameter sets averaged, *n* (torch's `n_averaged`).
    public var averaged: Int
    /// The average *a*, shaped like the parameters.
    public var average: Params.TangentVector
    /// The base rule's state.
    public var base: Base.State

    /// Creates a state.
    @inlinable public init(step: Int, averaged: Int, average: Params.TangentVector, base: Base.State) {
      (self.step, self.averaged, self.average, self.base) = (step, averaged, average, base)
    }
  }

  /// Step 0, nothing averaged, *a* = `params`, and the base rule's initial state.
  @inlinable public func initialState(for params: Params) -> State {
    State(step: 0, averaged: 0, average: LeafCopy.tangent(of: params), base: base.initialState(for: params))
  }

  /// The base step, then the average on averaging steps.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    requireValidHyperparameters()
    base.update(&state.base, &params, gradient, preprocessing: map)
    state.step += 1
    guard state.step >= start && (state.step - start) % every == 0 else { return }
    let copies = state.averaged == 0, count = Params.TangentVector.Scalar(state.averaged + 1)
    LeafWalk.forEachBlock(&params, gradient, &state.average, named: "average", preprocessing: IdentityGradientMap()) { b in
      let a = b[0]
      for i in b.indices { a[i] = copies ? b.p[i] : a[i] + (b.p[i] - a[i]) / count }
    }
    state.averaged += 1
  }

  /// The averaged parameters: `params` with every leaf replaced by the
  /// average's (the initial parameters before the first average).
  @inlinable public func averagedParameters(_ state: State, like params: Params) -> Params {
    var result = params
    LeafCopy.assign(&result, from: state.average)
    return result
  }

  /// Checks the step, 0 ≤ *n* ≤ t, the average's shapes and the base state.
  ///
  /// - Throws: ``OptimiserError`` naming what differs.
  @inlinable public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
    guard state.averaged >= 0 && state.averaged <= state.step else {
      throw .invalidState("StochasticWeightAveraging has averaged \(state.averaged) parameter sets in \(state.step) steps")
    }
    try LeafWalk.validate(state.average, named: "average", for: params)
    try base.validate(state.base, for: params)
  }

  /// *s* ≥ 1, *k* ≥ 1, and the base rule's hyperparameters.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.require(start >= 1, "start", Double(start), "≥ 1"); h.require(every >= 1, "every", Double(every), "≥ 1")
    h.include(base.validateHyperparameters)
  }
}

extension StochasticWeightAveraging.State: Equatable where Base.State: Equatable {}
