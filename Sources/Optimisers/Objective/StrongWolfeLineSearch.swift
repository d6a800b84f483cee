/// torch's `strong_wolfe` line search: finds t with
///
///     f(x + t·d) ≤ f(x) + c₁·t·(g·d)          (sufficient decrease)
///     |∇f(x + t·d)·d| ≤ −c₂·(g·d)              (strong curvature)
///
/// It brackets an interval by cubic extrapolation (each new trial in
/// [t + 0.01(t − tₚ), 10t]), then zooms with cubic interpolation of the two
/// ends' values and slopes, moving a trial that falls within 10 % of an end
/// to 10 % inside it when the previous trial also did. It stops when the
/// conditions hold, after its trial budget, or when the bracket is shorter
/// than ``changeTolerance`` / max |dᵢ|, and then returns the bracket end with
/// the lower value.
///
/// The budget: `torch.optim.LBFGS` passes `max_ls = max_eval − (evaluations
/// made so far in the step)`, so the trials after the first are limited by
/// what is left of ``LBFGS/evaluationBudget`` (``maximumTrials`` `nil`, the
/// default). With `max_eval` = 1 — torch's default for `max_iter=1` — no trial
/// beyond the first is allowed, the search returns t = 0 and the parameters do
/// not move; pass a larger ``LBFGS/maximumEvaluations``. Torch's search uses
/// its own `tolerance_change` default of 10⁻⁹ whatever the optimiser's is.
/// Defaults c₁ = 10⁻⁴, c₂ = 0.9, as `torch.optim.lbfgs._strong_wolfe`.
///
/// - Complexity: O(1) to copy; each trial is one evaluation and O(*n*).
/// - References: Moré and Thuente, *Line Search Algorithms with Guaranteed
///   Sufficient Decrease*, ACM TOMS, 1994; Schmidt, *minFunc*, 2005
///   (`WolfeLineSearch`, ported by torch).
public struct StrongWolfeLineSearch: Codable, Sendable, Hashable {
  /// c₁ of the sufficient-decrease condition, in (0, c₂); default 10⁻⁴.
  public var decreaseRatio: Double
  /// c₂ of the curvature condition, in (c₁, 1); default 0.9.
  public var curvatureRatio: Double
  /// The most trials after the first (torch's `max_ls`), ≥ 0, or `nil` for
  /// what is left of the step's evaluation budget, as `torch.optim.LBFGS`
  /// passes it; default `nil`.
  public var maximumTrials: Int?
  /// The bracket is abandoned when |t_high − t_low|·max |dᵢ| falls below this;
  /// ≥ 0; default 10⁻⁹ (the default of torch's `_strong_wolfe`, which
  /// `LBFGS.step` does not override).
  public var changeTolerance: Double

  /// Creates the search.
  ///
  /// - Parameters:
  ///   - decreaseRatio: c₁ ∈ (0, c₂); default 10⁻⁴.
  ///   - curvatureRatio: c₂ ∈ (c₁, 1); default 0.9.
  ///   - maximumTrials: torch's `max_ls`, ≥ 0, or `nil` for the rest of the
  ///     step's budget; default `nil`.
  ///   - changeTolerance: ≥ 0; default 10⁻⁹.
  /// - Complexity: O(1).
  public init(
    decreaseRatio: Double = 1e-4, curvatureRatio: Double = 0.9, maximumTrials: Int? = nil,
    changeTolerance: Double = 1e-9
  ) {
    self.decreaseRatio = decreaseRatio
    self.curvatureRatio = curvatureRatio
    self.maximumTrials = maximumTrials
    self.changeTolerance = changeTolerance
  }

  /// Checks 0 < c₁ < c₂ < 1 and the trial budget.
  ///
  /// - Throws: ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``.
  /// - Complexity: O(1).
  public func validateHyperparameters() throws(OptimiserError) {
    try LineSearchChecks.ratios(decreaseRatio, curvatureRatio, in: "StrongWolfeLineSearch")
    if let maximumTrials, maximumTrials < 0 {
      throw .invalidHyperparameter(
        rule: "StrongWolfeLineSearch", name: "maximumTrials", value: Double(maximumTrials), requirement: "≥ 0")
    }
    try HyperparameterRange.nonNegative.check(changeTolerance, "changeTolerance", in: "StrongWolfeLineSearch")
  }

  /// Runs the search from the trial step `start`, given the objective at x
  /// (`origin`, with slope g·d < 0), max |dᵢ| and the evaluations left in
  /// the step.
  @inlinable
  func search<S: ParameterScalar>(
    from start: Double, origin: LineSample<S>, directionMax dNorm: Double, remainingBudget: Int,
    evaluate: (Double) throws(ObjectiveError) -> LineSample<S>
  ) throws(ObjectiveError) -> LineSearchResult<S> {
    let f = origin.value, gtd = origin.slope
    let c1 = decreaseRatio, c2 = curvatureRatio, maxLS = maximumTrials ?? remainingBudget
    var t = start
    var new = try evaluate(t)
    var evaluations = 1
    var tPrev = 0.0
    var prev = origin
    var done = false
    var iteration = 0
    // The bracket: one point once the conditions hold, two otherwise.
    var steps: [Double] = []
    var samples: [LineSample<S>] = []
    while iteration < maxLS {
      if new.value > f + c1 * t * gtd || (iteration > 1 && new.value >= prev.value) {
        steps = [tPrev, t]
        samples = [prev, new]
        break
      }
      if abs(new.slope) <= -c2 * gtd {
        steps = [t]
        samples = [new]
        done = true
        break
      }
      if new.slope >= 0 {
        steps = [tPrev, t]
        samples = [prev, new]
        break
      }
      // Extrapolate by cubic interpolation, within [t + 0.01(t − tPrev), 10t].
      let minStep = t + 0.01 * (t - tPrev)
      let maxStep = t * 10
      let previousStep = t
      t = CubicInterpolation.minimiser(tPrev, prev.value, prev.slope, t, new.value, new.slope, bounds: (minStep, maxStep))
      tPrev = previousStep
      prev = new
      new = try evaluate(t)
      evaluations += 1
      iteration += 1
    }
    if iteration == maxLS {
      steps = [0, t]
      samples = [origin, new]
    }
    // Zoom: refine the bracket until the conditions hold.
    var insufficientProgress = false
    var (low, high) = samples[0].value <= samples[samples.count - 1].value ? (0, 1) : (1, 0)
    while !done && iteration < maxLS {
      if abs(steps[1] - steps[0]) * dNorm < changeTolerance { break }
      t = CubicInterpolation.minimiser(
        steps[0], samples[0].value, samples[0].slope, steps[1], samples[1].value, samples[1].slope, bounds: nil)
      let upper = PythonOrder.max(steps[0], steps[1]), lower = PythonOrder.min(steps[0], steps[1])
      let eps = 0.1 * (upper - lower)
      if PythonOrder.min(upper - t, t - lower) < eps {
        if insufficientProgress || t >= upper || t <= lower {
          t = abs(t - upper) < abs(t - lower) ? upper - eps : lower + eps
          insufficientProgress = false
        } else {
          insufficientProgress = true
        }
      } else {
        insufficientProgress = false
      }
      new = try evaluate(t)
      evaluations += 1
      iteration += 1
      if new.value > f + c1 * t * gtd || new.value >= samples[low].value {
        steps[high] = t
        samples[high] = new
        (low, high) = samples[0].value <= samples[1].value ? (0, 1) : (1, 0)
      } else {
        if abs(new.slope) <= -c2 * gtd {
          done = true
        } else if new.slope * (steps[high] - steps[low]) >= 0 {
          steps[high] = steps[low]
          samples[high] = samples[low]
        }
        steps[low] = t
        samples[low] = new
      }
    }
    return LineSearchResult(step: steps[low], sample: samples[low], evaluations: evaluations, converged: done)
  }
}
