/// Backtracking until the Armijo condition holds, as
/// `optax.scale_by_backtracking_linesearch(..., store_grad=True)`:
///
///     f(x + t·d) ≤ (1 + δ)·f(x) + t·c₁·(g·d) + ε
///
/// trying t₀, βt₀, β²t₀, … for at most ``maximumSteps`` + 1 trials. Under the
/// optax convention t₀ = min(α·t_prev, t_max) with t_prev the last accepted
/// step (1 initially); under the torch convention t₀ is torch's t. If no trial
/// passes, the last one is taken (optax does the same) and the step reports a
/// line-search failure. Defaults are optax's: c₁ = 10⁻⁴, β = 0.8, α = 1.5,
/// t_max = 1, δ = ε = 0, and 15 steps (the value of optax's examples).
///
/// - Complexity: O(1) to copy; each trial is one evaluation and O(*n*).
/// - References: Armijo, *Minimization of functions having Lipschitz
///   continuous first partial derivatives*, Pacific J. Math., 1966; Nocedal
///   and Wright, *Numerical Optimization*, 2006, algorithm 3.1.
public struct BacktrackingLineSearch: Codable, Sendable, Hashable {
  /// The most backtracking steps after the first trial
  /// (`max_backtracking_steps`), ≥ 1; default 15.
  public var maximumSteps: Int
  /// c₁ (`slope_rtol`), in (0, 1); default 10⁻⁴.
  public var decreaseRatio: Double
  /// β (`decrease_factor`), in (0, 1); default 0.8.
  public var decreaseFactor: Double
  /// α (`increase_factor`), ≥ 1; default 1.5.
  public var increaseFactor: Double
  /// t_max (`max_learning_rate`), > 0; default 1.
  public var maximumStepSize: Double
  /// ε (`atol`), ≥ 0; default 0.
  public var absoluteTolerance: Double
  /// δ (`rtol`), ≥ 0; default 0.
  public var relativeTolerance: Double

  /// Creates the search with optax's defaults.
  ///
  /// - Complexity: O(1).
  public init(
    maximumSteps: Int = 15, decreaseRatio: Double = 1e-4, decreaseFactor: Double = 0.8,
    increaseFactor: Double = 1.5, maximumStepSize: Double = 1, absoluteTolerance: Double = 0,
    relativeTolerance: Double = 0
  ) {
    self.maximumSteps = maximumSteps
    self.decreaseRatio = decreaseRatio
    self.decreaseFactor = decreaseFactor
    self.increaseFactor = increaseFactor
    self.maximumStepSize = maximumStepSize
    self.absoluteTolerance = absoluteTolerance
    self.relativeTolerance = relativeTolerance
  }

  /// Checks every range above.
  ///
  /// - Throws: ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``.
  /// - Complexity: O(1).
  public func validateHyperparameters() throws(OptimiserError) {
    let name = "BacktrackingLineSearch"
    try LineSearchChecks.count(maximumSteps, "maximumSteps", in: name)
    guard decreaseRatio > 0, decreaseRatio < 1 else {
      throw .invalidHyperparameter(rule: name, name: "decreaseRatio", value: decreaseRatio, requirement: "in (0, 1)")
    }
    guard decreaseFactor > 0, decreaseFactor < 1 else {
      throw .invalidHyperparameter(rule: name, name: "decreaseFactor", value: decreaseFactor, requirement: "in (0, 1)")
    }
    guard increaseFactor >= 1, increaseFactor.isFinite else {
      throw .invalidHyperparameter(rule: name, name: "increaseFactor", value: increaseFactor, requirement: "finite and ≥ 1")
    }
    try HyperparameterRange.positive.check(maximumStepSize, "maximumStepSize", in: name)
    try HyperparameterRange.nonNegative.check(absoluteTolerance, "absoluteTolerance", in: name)
    try HyperparameterRange.nonNegative.check(relativeTolerance, "relativeTolerance", in: name)
  }

  /// Runs the search from the trial step `start`, given the objective at x.
  @inlinable
  func search<S: ParameterScalar>(
    from start: Double, origin: LineSample<S>,
    evaluate: (Double) throws(ObjectiveError) -> LineSample<S>
  ) throws(ObjectiveError) -> LineSearchResult<S> {
    var t = start
    var trials = 0
    var sample = origin
    var error = Double.infinity
    while !(error <= absoluteTolerance) && trials <= maximumSteps {
      if trials > 0 { t = decreaseFactor * t }
      sample = try evaluate(t)
      // XLA fuses the last product into a multiply-add, as here.
      error = (sample.value - (1.0 + relativeTolerance) * origin.value).addingProduct(-(t * decreaseRatio), origin.slope)
      error = error.isNaN ? .infinity : Swift.max(error, 0)
      trials += 1
    }
    return LineSearchResult(step: t, sample: sample, evaluations: trials, converged: error <= absoluteTolerance)
  }
}
