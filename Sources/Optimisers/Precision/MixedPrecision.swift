/// Trains low-precision parameters through a `Float` master copy kept in the
/// optimiser state: the base rule steps the copy, in `Float`, with its state
/// in `Float`, and the result is written back rounded (Optimisers.jl's
/// `MixedPrecision`; the apex/AMP master-weight pattern).
///
/// ```swift
/// let optimiser = MixedPrecision(Adam(learningRate: 1e-3), parameters: Tensor<BFloat16>.self,
///                                lossScale: DynamicLossScale())
/// var state = optimiser.initialState(for: weights)
/// let scale = optimiser.lossScale(of: state)      // differentiate scale · loss
/// optimiser.update(&state, &weights, gradientOfScaledLoss)
/// ```
///
/// Each step: the gradient is converted to `Float` and divided by the loss
/// scale (1 without ``DynamicLossScale``); the preprocessing map and the base
/// rule then see the true gradient. With loss scaling, a non-finite gradient
/// backs the scale off and skips the step (or hands it on, see
/// ``DynamicLossScale/forwardsNonFinite``, so that a ``SkipNonFinite`` base
/// counts it). Otherwise the base steps the master copy and every parameter
/// becomes its master value rounded to nearest or stochastically
/// (``HalfPrecisionRounding``, from a counter on the step, the leaf and the
/// index).
///
/// Because the copy keeps every small update, rounding the parameters loses
/// nothing over time: the parameters are always the master rounded once.
/// Memory: 4 bytes per parameter for the copy, plus the base state.
///
/// - Complexity: O(*n*) per step: the base step, a conversion of the gradient
///   and a write-back, on the calling thread (the base step may use threads).
/// - References: Micikevicius et al., *Mixed Precision Training*, ICLR 2018;
///   Optimisers.jl `MixedPrecision`.
public struct MixedPrecision<Base: Optimiser, Params: LowPrecisionParameters>: Optimiser, HyperparameterDeclaring
where Base.Params == Params.Master {
  /// The rule that steps the master copy.
  public var base: Base
  /// How the master values are rounded into the parameters.
  public var rounding: HalfPrecisionRounding
  /// Dynamic loss scaling, or `nil` for none (a scale of 1).
  public var lossScale: DynamicLossScale?

  /// Wraps `base` for parameters of type `parameters`.
  ///
  /// - Parameters:
  ///   - base: A rule on the `Float` counterpart of the parameters.
  ///   - parameters: The low-precision parameter type (`Tensor<BFloat16>.self`).
  ///   - rounding: Default ``HalfPrecisionRounding/nearest``.
  ///   - lossScale: Default `nil`, no loss scaling.
  public init(
    _ base: Base, parameters: Params.Type, rounding: HalfPrecisionRounding = .nearest, lossScale: DynamicLossScale? = nil
  ) {
    (self.base, self.rounding, self.lossScale) = (base, rounding, lossScale)
  }

  /// The step count, the master copy, the base rule's state and the loss scale.
  public struct State: Codable, Sendable {
    /// Steps taken (skipped steps are not counted).
    public var step: Int
    /// The `Float` copy of the parameters.
    public var master: Params.Master
    /// The base rule's state, for the master copy.
    public var base: Base.State
    /// The loss scale's state, when loss scaling is on.
    public var lossScale: LossScaleState?
  }

  /// The base rule's hyperparameters.
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.include { () throws(OptimiserError) in try base.validateHyperparameters() }
  }

  /// Step 0, the master copy of `params` and the base rule's first state.
  public func initialState(for params: Params) -> State {
    let master = params.masterCopy
    return State(
      step: 0, master: master, base: base.initialState(for: master),
      lossScale: lossScale.map { LossScaleState(scale: $0.initialScale) })
  }

  /// The factor to multiply the loss by before differentiating (1 without loss scaling).
  public func lossScale(of state: State) -> Double { state.lossScale?.scale ?? 1 }

  /// Checks the step, that the master copy has the parameters' leaf shapes,
  /// the loss scale's presence, and the base state against the master copy.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
    guard state.master.parameterLeafCount == params.parameterLeafCount else {
      throw .leafCountMismatch(buffer: "master", expected: params.parameterLeafCount, found: state.master.parameterLeafCount)
    }
    for leaf in 0..<params.parameterLeafCount where state.master.parameterLeafShape(at: leaf) != params.parameterLeafShape(at: leaf) {
      throw .shapeMismatch(
        buffer: "master", leaf: params.parameterLeafName(at: leaf), expected: params.parameterLeafShape(at: leaf),
        found: state.master.parameterLeafShape(at: leaf))
    }
    if (state.lossScale == nil) != (lossScale == nil) {
      throw .invalidState(lossScale == nil ? "the state has a loss scale but scaling is off" : "the state has no loss scale")
    }
    if let scale = state.lossScale?.scale, !(scale > 0 && scale.isFinite) {
      throw .invalidState("loss scale \(scale) is not finite and > 0")
    }
    try base.validate(state.base, for: state.master)
  }

  /// One step (see the type's description).
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    requireValidHyperparameters()
    precondition((state.lossScale == nil) == (lossScale == nil), "the state's loss scale does not match this optimiser")
    var unscaled = state.master.zeroTangentVector
    let finite = Self.convert(gradient, into: &unscaled, dividingBy: lossScale(of: state))
    if let scaling = lossScale {
      scaling.advance(&state.lossScale!, finite: finite)
      if !finite && !scaling.forwardsNonFinite { return }
    }
    state.step += 1
    base.update(&state.base, &state.master, unscaled, preprocessing: map)
    let seed = rounding.seed, step = state.step
    for leaf in 0..<params.parameterLeafCount {
      state.master.withParameterLeaf(at: leaf) { source in
        params.withMutableParameterLeaf(at: leaf) { target in
          precondition(source.count == target.count, "the master copy's leaf \(leaf) does not match the parameters'")
          if let seed {
            let stream = CounterRandom.stream(seed: seed, step: step, leaf: leaf)
            for i in target.indices { target[i] = ScalarConversion.stochastic(source[i], CounterRandom.bits(stream, i)) }
          } else {
            for i in target.indices { target[i] = ScalarConversion.nearest(source[i]) }
          }
        }
      }
    }
  }

  /// Writes `gradient / scale` in `Float` into `target`; whether every value is finite.
  static func convert(
    _ gradient: Params.TangentVector, into target: inout Params.Master.TangentVector, dividingBy scale: Double
  ) -> Bool {
    guard gradient.leafCount > 0 else { return true }
    precondition(
      gradient.leafCount == target.leafCount,
      "the gradient has \(gradient.leafCount) leaves, but the parameters have \(target.leafCount)")
    let inverse = Float(1 / scale)
    var poison: Float = 0
    for leaf in 0..<target.leafCount {
      gradient.withLeaf(at: leaf) { source in
        target.withMutableLeaf(at: leaf) { values in
          precondition(source.count == values.count, "the gradient's leaf \(leaf) does not match the parameters'")
          for i in values.indices {
            let x = ScalarConversion.float(source[i]) * inverse
            values[i] = x
            poison += x * 0
          }
        }
      }
    }
    return poison == 0
  }
}
