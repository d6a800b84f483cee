/// A rule written as its coefficients and kernels, with everything else
/// supplied: elementwise rules run one kernel over blocks (on several threads
/// for large steps), reductions (LAMB, LARS) run theirs over whole leaves with
/// ``Walk/wholeLeaves(_:)``.
///
/// A conforming rule declares its hyperparameters
/// (``HyperparameterDeclaring/declareHyperparameters(_:)``), its state (a
/// ``BufferedState``), and ``step(_:_:)``: compute the step's coefficients
/// once, then run a kernel over the blocks of the walk. The library supplies
/// ``Optimiser/update(_:_:_:preprocessing:)`` (the per-step hyperparameter
/// check, the step count, the fused gradient map, the walk, threads),
/// ``StatefulOptimiser/validate(_:for:)``, ``HyperparameterValidating/validateHyperparameters()`` and,
/// for states that start at zero, ``StatefulOptimiser/initialState(for:)``.
///
/// ```swift
/// struct HeavyBall<Params: Differentiable>: KernelRule {
///   var learningRate = 0.01, momentum = 0.9
///   typealias State = VelocityState<Params, HeavyBall>
///   func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
///     h.nonNegative(learningRate, "learningRate"); h.unitInterval(momentum, "momentum")
///   }
///   func step<Map>(_ t: Int, _ walk: Walk<Params, State, Map>) {
///     let rate = Params.TangentVector.Scalar(learningRate), mu = Params.TangentVector.Scalar(momentum)
///     walk { b in
///       let v = b[0]
///       for i in b.indices { v[i] = mu * v[i] + b.gradient(i); b.p[i] -= rate * v[i] }
///     }
///   }
/// }
/// ```
public protocol KernelRule: Optimiser, HyperparameterDeclaring where State: BufferedState<Params> {
  /// Step `t` (counted from 1): computes the coefficients and runs the kernels.
  ///
  /// - Parameters:
  ///   - t: The step number, 1 for the first step.
  ///   - walk: Runs kernels over the parameters, the gradient and the state's
  ///     buffers; call it once per pass.
  func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>)
}

extension KernelRule {
  /// The scalar type of the parameters, the gradient and the buffers.
  public typealias Scalar = Params.TangentVector.Scalar

  /// Checks the hyperparameters, counts the step and runs ``step(_:_:)``.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    runStep(&state, &params, gradient, preprocessing: map)
  }

  /// What ``Optimiser/update(_:_:_:preprocessing:)`` does: checks the hyperparameters,
  /// counts the step and runs ``step(_:_:)`` over a walk. A rule that must
  /// prepare its state first (create an optional buffer that a changed
  /// hyperparameter now needs) implements `update` itself and ends with this.
  @inlinable
  public func runStep<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    requireValidHyperparameters()
    state.step += 1
    let t = state.step
    LeafWalk.walk(&params, gradient, &state, preprocessing: map) { walk in step(t, walk) }
  }

  /// Checks the step count and every buffer's shapes.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try state.validate(for: params)
  }
}

extension KernelRule where State: ZeroStartingState {
  /// Step 0 and every buffer zero.
  @inlinable public func initialState(for params: Params) -> State { State(zerosLike: params) }
}

/// A ``BufferedState`` whose first step starts from zeros.
public protocol ZeroStartingState: BufferedState {
  /// Step 0, every buffer zero and shaped like `params`.
  init(zerosLike params: Params)
}

/// The seed rules' inverse decay: ηₜ = η / (1 + decay · (t − 1)) at step t
/// (counted from 1), as Flux's `decay` and ``InverseDecay``.
@inlinable
public func inverseDecay(_ rate: Double, _ decay: Double, step t: Int) -> Double {
  rate / (1 + decay * Double(t - 1))
}
