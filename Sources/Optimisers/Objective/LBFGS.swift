/// Limited-memory BFGS with a choice of line search: a quasi-Newton method
/// for smooth, deterministic objectives of up to millions of parameters.
///
/// Each iteration turns the gradient g into a direction d = −H·g, where H
/// approximates the inverse Hessian from the last m curvature pairs
/// sᵢ = xᵢ₊₁ − xᵢ, yᵢ = gᵢ₊₁ − gᵢ (the two-loop recursion, with initial
/// matrix γI, γ = y·s / y·y of the newest pair), then moves
/// x ← x + t·d with t from the ``LineSearch``:
///
/// ```swift
/// let lbfgs = LBFGS<Tensor<Double>>(lineSearch: .strongWolfe())
/// var state = lbfgs.initialState(for: x)
/// let report = try lbfgs.step(&state, &x) { p in valueWithGradient(at: p) { rosenbrock($0) } }
/// ```
///
/// One ``step(_:_:objective:)`` runs up to ``maximumIterations`` iterations
/// and stops early on the tolerances or the evaluation budget; the report says
/// which (``ObjectiveStopReason``). With the ``LBFGSConvention/torch``
/// convention and torch's defaults (below) a step is exactly one
/// `torch.optim.LBFGS.step(closure)`: the same iterates, the same number of
/// evaluations. ``optax(historySize:lineSearch:maximumIterations:)`` builds the configuration
/// that reproduces `optax.lbfgs()` update by update.
///
/// Defaults (torch's): η = 1, 20 iterations and ⌊20·5/4⌋ = 25 evaluations
/// per step, gradient tolerance 10⁻⁷ (max |gᵢ|), change tolerance 10⁻⁹,
/// m = 100 pairs, no line search.
///
/// The vector work (the two-loop recursion fuses each update with the next
/// dot product) is split across threads by ``Parallelism`` in fixed blocks,
/// so results do not depend on the thread count.
///
/// State: counters, the last direction and gradient, m pairs. Memory:
/// (2m + 3)·*n* scalars.
///
/// - Complexity: O(*mn*) per iteration plus the objective's evaluations.
/// - References: Liu and Nocedal, *On the Limited Memory BFGS Method for Large
///   Scale Optimization*, Math. Programming, 1989; Nocedal and Wright,
///   *Numerical Optimization*, 2nd ed., 2006, chapters 3 and 7.
public struct LBFGS<Params: Differentiable>: ObjectiveOptimiser {
  /// The scalar type of the parameters.
  public typealias Scalar = Params.TangentVector.Scalar
  /// The state: see ``LBFGSState``.
  public typealias State = LBFGSState<Scalar>

  /// η: the step length without a line search, and the line search's first
  /// trial under the torch convention; > 0; default 1.
  public var learningRate: Double
  /// m, the curvature pairs kept; ≥ 1; default 100 (torch's `history_size`;
  /// optax's `memory_size` is 10).
  public var historySize: Int
  /// The most iterations per step (torch's `max_iter`); ≥ 1; default 20.
  public var maximumIterations: Int
  /// The most objective evaluations per step (torch's `max_eval`), ≥ 1, or
  /// `nil` for ⌊``maximumIterations`` · 5/4⌋; default `nil`.
  public var maximumEvaluations: Int?
  /// A step stops when max |gᵢ| ≤ this (torch's `tolerance_grad`); ≥ 0;
  /// default 10⁻⁷.
  public var gradientTolerance: Double
  /// A step stops when the value changes by less, the step moves no scalar by
  /// more, or g·d is above −this (torch's `tolerance_change`); ≥ 0; default 10⁻⁹.
  public var changeTolerance: Double
  /// How the step length is chosen; default ``LineSearch/fixedStep``.
  public var lineSearch: LineSearch
  /// Which reference to follow where they differ; default ``LBFGSConvention/torch``.
  public var convention: LBFGSConvention

  /// Creates the optimiser; every default is `torch.optim.LBFGS`'s.
  ///
  /// - Parameters:
  ///   - learningRate: η > 0; default 1.
  ///   - historySize: m ≥ 1; default 100.
  ///   - maximumIterations: Iterations per step, ≥ 1; default 20.
  ///   - maximumEvaluations: Evaluations per step, ≥ 1; default ⌊1.25 · iterations⌋.
  ///   - gradientTolerance: ≥ 0; default 10⁻⁷.
  ///   - changeTolerance: ≥ 0; default 10⁻⁹.
  ///   - lineSearch: Default none (a fixed step η).
  ///   - convention: Default ``LBFGSConvention/torch``.
  /// - Precondition: Every value is in range; otherwise the call stops with a
  ///   message naming it (``validateHyperparameters()`` throws instead).
  /// - Complexity: O(1).
  public init(
    learningRate: Double = 1, historySize: Int = 100, maximumIterations: Int = 20, maximumEvaluations: Int? = nil,
    gradientTolerance: Double = 1e-7, changeTolerance: Double = 1e-9, lineSearch: LineSearch = .fixedStep,
    convention: LBFGSConvention = .torch
  ) {
    self.learningRate = learningRate
    self.historySize = historySize
    self.maximumIterations = maximumIterations
    self.maximumEvaluations = maximumEvaluations
    self.gradientTolerance = gradientTolerance
    self.changeTolerance = changeTolerance
    self.lineSearch = lineSearch
    self.convention = convention
    requireValidHyperparameters()
  }

  /// The configuration of `optax.lbfgs(memory_size=historySize,
  /// linesearch=…)`: one iteration per step, no tolerances, the zoom line
  /// search with `initial_guess_strategy='one'`. Drive it as optax's loop
  /// with `optax.value_and_grad_from_state` is driven: the state keeps the
  /// value and gradient the line search computed, so only the very first step
  /// evaluates at its starting point.
  ///
  /// - Parameters:
  ///   - historySize: m (`memory_size`); default 10.
  ///   - lineSearch: Default ``LineSearch/zoom(_:)`` with optax's defaults.
  ///   - maximumIterations: Iterations per step; default 1 (one `update`).
  /// - Complexity: O(1).
  public static func optax(
    historySize: Int = 10, lineSearch: LineSearch = .zoom(), maximumIterations: Int = 1
  ) -> LBFGS {
    LBFGS(
      learningRate: 1, historySize: historySize, maximumIterations: maximumIterations,
      maximumEvaluations: .max, gradientTolerance: 0, changeTolerance: 0, lineSearch: lineSearch,
      convention: .optax)
  }

  /// The evaluation budget per step in effect.
  ///
  /// - Complexity: O(1).
  public var evaluationBudget: Int { maximumEvaluations ?? maximumIterations * 5 / 4 }

  /// The state before the first step: no history.
  ///
  /// - Complexity: O(1).
  public func initialState(for params: Params) -> State { State() }

  /// Checks every hyperparameter, the line search's included.
  ///
  /// - Throws: ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``.
  /// - Complexity: O(1).
  public func validateHyperparameters() throws(OptimiserError) {
    try HyperparameterRange.positive.check(learningRate, "learningRate", in: "LBFGS")
    for (name, value) in [("historySize", historySize), ("maximumIterations", maximumIterations)] where value < 1 {
      throw .invalidHyperparameter(rule: "LBFGS", name: name, value: Double(value), requirement: "≥ 1")
    }
    if let maximumEvaluations, maximumEvaluations < 1 {
      throw .invalidHyperparameter(
        rule: "LBFGS", name: "maximumEvaluations", value: Double(maximumEvaluations), requirement: "≥ 1")
    }
    try HyperparameterRange.nonNegative.check(gradientTolerance, "gradientTolerance", in: "LBFGS")
    try HyperparameterRange.nonNegative.check(changeTolerance, "changeTolerance", in: "LBFGS")
    try lineSearch.validateHyperparameters()
  }

  /// Checks that every vector of `state` has as many scalars as `params`,
  /// that the history is no longer than ``historySize`` and its three lists
  /// agree, and that the counters and numbers are possible.
  ///
  /// - Throws: ``OptimiserError/leafCountMismatch(buffer:expected:found:)`` for a
  ///   vector of the wrong length (counted in scalars), or
  ///   ``OptimiserError/invalidState(_:)``.
  /// - Complexity: O(*mn*) (every scalar is checked to be finite).
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LBFGSStateCheck.validate(state, scalars: FlatParameters.count(of: params), historySize: historySize)
  }

  /// One step in place: up to ``maximumIterations`` iterations.
  ///
  /// - Throws: ``ObjectiveError``; `state` and `params` are then unchanged.
  /// - Precondition: `state` fits `params` (see ``validate(_:for:)``) and the
  ///   objective's gradients have the parameters' leaf shapes.
  /// - Complexity: O(*mn*) per iteration plus the evaluations.
  @inlinable
  @discardableResult
  public func step(
    _ state: inout State, _ params: inout Params,
    objective: (Params) -> (value: Scalar, gradient: Params.TangentVector)
  ) throws(ObjectiveError) -> ObjectiveStepReport {
    var newState = state
    var newParams = params
    let report = try withoutActuallyEscaping(objective) { objective throws(ObjectiveError) in
      var evaluator = ObjectiveEvaluator<Params>(objective, order: convention == .torch ? .torch : .xla)
      switch convention {
      case .torch: return try torchStep(&newState, &newParams, &evaluator)
      case .optax: return try optaxStep(&newState, &newParams, &evaluator)
      }
    }
    state = newState
    params = newParams
    return report
  }
}
