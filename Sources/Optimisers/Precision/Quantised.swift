/// A rule with its moments stored in 8 bits per value: block-wise dynamic
/// quantisation with one scale per 256 values (Dettmers et al. 2022), for
/// ``Adam``, ``AdamW``, ``Lion`` and ``Momentum``.
///
/// ```swift
/// let optimiser = Quantised(Adam<Tensor<BFloat16>>(learningRate: 1e-3), rounding: .stochastic(seed: 7))
/// var state = optimiser.initialState(for: weights)
/// optimiser.update(&state, &weights, gradient)
/// ```
///
/// Each step is one fused pass per block of 256: decode *m* (and *v*) with
/// the block's scales, run the base rule's update in `Float` (``QuantisedKernel``,
/// the same formula as the base rule), write the parameter back in its own
/// precision — rounded to nearest, or stochastically (``HalfPrecisionRounding``)
/// — and encode the new moments with scale = the block's largest magnitude.
/// *m* uses the signed dynamic map and *v* the unsigned one
/// (``QuantisationMap``). The hyperparameters, their ranges and their
/// defaults are the base rule's.
///
/// Memory: 1.016 bytes per moment value instead of 4. Bytes moved per
/// parameter per step for Adam: 16 with `Float` parameters (p and g read,
/// p written, 4 each; *m* and *v* read and written, 1 each), 10 with
/// ``BFloat16`` parameters and gradients — against 28 for ``Adam`` on `Float`.
///
/// The moments differ from the 32-bit rule's by the quantisation error (within
/// the block scale × ``QuantisationMap/maximumHalfGap`` per step), so results
/// are close to, not equal to, the base rule's. A non-finite gradient poisons
/// its blocks: their scale becomes NaN and the parameters there NaN, as the
/// 32-bit rule's would; guard with ``SkipNonFinite`` or ``MixedPrecision``'s
/// loss scaling.
///
/// - Complexity: O(*n*) per step, one pass; work is split into runs of whole
///   blocks, so results are identical for every thread count.
/// - References: Dettmers, Lewis, Shleifer and Zettlemoyer, *8-bit Optimizers
///   via Block-wise Quantization*, ICLR 2022.
public struct Quantised<Base: QuantisableRule>: Optimiser, HyperparameterDeclaring {
  /// The rule whose update runs on the decoded moments.
  public var base: Base
  /// How parameters of lower precision than `Float` are written back.
  public var rounding: HalfPrecisionRounding

  /// Wraps `base`.
  ///
  /// - Parameters:
  ///   - base: ``Adam``, ``AdamW``, ``Lion`` or ``Momentum``, with its hyperparameters.
  ///   - rounding: ``HalfPrecisionRounding/nearest`` (default) or stochastic.
  @inlinable
  public init(_ base: Base, rounding: HalfPrecisionRounding = .nearest) {
    self.base = base
    self.rounding = rounding
  }

  public typealias Params = Base.Params
  public typealias State = QuantisedState<Base>

  /// The base rule's hyperparameters.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.include { () throws(OptimiserError) in try base.validateHyperparameters() }
  }

  /// Step 0 and zero moments shaped like `params`.
  public func initialState(for params: Params) -> State {
    let shapes = params.parameterLeafShapes
    return State(
      step: 0, firstMoment: shapes.map { QuantisedTensor(zerosOf: $0, signed: true) },
      secondMoment: Base.Kernel.keepsSecondMoment ? shapes.map { QuantisedTensor(zerosOf: $0, signed: false) } : nil)
  }

  /// One fused step (see the type's description).
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    requireValidHyperparameters()
    state.step += 1
    QuantisedWalk.step(
      &params, gradient, preprocessing: map, step: state.step, first: &state.firstMoment,
      second: &state.secondMoment, rounding: rounding, kernel: base.quantisedKernel(step: state.step))
  }

  /// Checks the step count, the leaf counts, shapes and maps of the moments,
  /// and that the second moment is present exactly when the rule keeps one.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
    try Self.check(state.firstMoment, "firstMoment", signed: true, for: params)
    switch (state.secondMoment, Base.Kernel.keepsSecondMoment) {
    case (let second?, true): try Self.check(second, "secondMoment", signed: false, for: params)
    case (nil, false): break
    case (_, let keeps):
      throw .invalidState(keeps ? "the 8-bit state has no secondMoment" : "the 8-bit state has a secondMoment this rule does not keep")
    }
  }

  static func check(_ buffer: [QuantisedTensor], _ name: String, signed: Bool, for params: Params) throws(OptimiserError) {
    guard buffer.count == params.parameterLeafCount else {
      throw .leafCountMismatch(buffer: name, expected: params.parameterLeafCount, found: buffer.count)
    }
    for (leaf, tensor) in buffer.enumerated() {
      let expected = params.parameterLeafShape(at: leaf)
      guard tensor.shape == expected else {
        throw .shapeMismatch(buffer: name, leaf: params.parameterLeafName(at: leaf), expected: expected, found: tensor.shape)
      }
      guard tensor.isSigned == signed else {
        throw .invalidState("\(name) leaf '\(params.parameterLeafName(at: leaf))' uses the \(signed ? "unsigned" : "signed") map")
      }
    }
  }
}
