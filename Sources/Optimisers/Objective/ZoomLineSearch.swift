/// optax's zoom line search (`optax.scale_by_zoom_linesearch`), Nocedal and
/// Wright's algorithms 3.5 and 3.6: find t with
///
///     f(x + t·d) ≤ f(x) + c₁·t·(g·d) + tol          (sufficient decrease)
///     |∇f(x + t·d)·d| ≤ c₂·|g·d| + tol                 (small curvature)
///
/// where, near the minimum, sufficient decrease may instead be Hager and
/// Zhang's approximate test ∇f(x + t·d)·d ≤ (2c₁ − 1)(g·d) together with
/// f(x + t·d) ≤ f(x) + ε_f·|f(x)|.
///
/// The interval search tries the initial guess, then multiplies t by
/// ``increaseFactor`` until an interval is found; the zoom then tries the
/// minimiser of the cubic through the interval's ends and a reference point
/// (if it lies in the middle 60 %), else of the quadratic (middle 80 %), else
/// the midpoint. After ``maximumSteps`` trials, or once the interval is
/// shorter than ``stepPrecision`` with a decreasing step known, the search
/// fails and takes the decreasing step with the lowest value if there is
/// one, else the last trial, as optax does. Defaults are optax's.
///
/// - Complexity: O(1) to copy; each trial is one evaluation and O(*n*).
/// - References: Nocedal and Wright, *Numerical Optimization*, 2nd ed., 2006,
///   algorithms 3.5 and 3.6; Hager and Zhang, *Algorithm 851: CG_DESCENT*,
///   ACM TOMS, 2006 (eq. 23, approximate Wolfe conditions).
public struct ZoomLineSearch: Codable, Sendable, Hashable {
  /// How the first trial step is chosen under the optax convention.
  public enum InitialGuess: String, Codable, Sendable, Hashable {
    /// t₀ = 1 (`initial_guess_strategy='one'`, what `optax.lbfgs` uses).
    case one
    /// t₀ = the last accepted step (`'keep'`, the default of
    /// `scale_by_zoom_linesearch`).
    case keep
  }

  /// The most trials (`max_linesearch_steps`), ≥ 1; default 20, as `optax.lbfgs`.
  public var maximumSteps: Int
  /// The largest step (`max_learning_rate`), > 0, or `nil` for none; default `nil`.
  public var maximumStepSize: Double?
  /// The tolerance on both conditions (`tol`), ≥ 0; default 0.
  public var tolerance: Double
  /// The growth of t during the interval search (`increase_factor`), > 1; default 2.
  public var increaseFactor: Double
  /// c₁ (`slope_rtol`), in (0, c₂); default 10⁻⁴.
  public var decreaseRatio: Double
  /// c₂ (`curv_rtol`), in (c₁, 1); default 0.9.
  public var curvatureRatio: Double
  /// ε_f of the approximate decrease test (`approx_dec_rtol`), ≥ 0, or `nil`
  /// to use the Armijo test only; default 10⁻⁶.
  public var approximateDecreaseRatio: Double?
  /// The interval length below which a known decreasing step is accepted
  /// (`stepsize_precision`), ≥ 0; default 10⁻⁵.
  public var stepPrecision: Double
  /// The first trial step under the optax convention; default ``InitialGuess/one``,
  /// as `optax.lbfgs` (note that `scale_by_zoom_linesearch` alone defaults
  /// to `'keep'`).
  public var initialGuess: InitialGuess

  /// Creates the search with optax's defaults for `optax.lbfgs`.
  ///
  /// - Complexity: O(1).
  public init(
    maximumSteps: Int = 20, maximumStepSize: Double? = nil, tolerance: Double = 0, increaseFactor: Double = 2,
    decreaseRatio: Double = 1e-4, curvatureRatio: Double = 0.9, approximateDecreaseRatio: Double? = 1e-6,
    stepPrecision: Double = 1e-5, initialGuess: InitialGuess = .one
  ) {
    self.maximumSteps = maximumSteps
    self.maximumStepSize = maximumStepSize
    self.tolerance = tolerance
    self.increaseFactor = increaseFactor
    self.decreaseRatio = decreaseRatio
    self.curvatureRatio = curvatureRatio
    self.approximateDecreaseRatio = approximateDecreaseRatio
    self.stepPrecision = stepPrecision
    self.initialGuess = initialGuess
  }

  /// Checks every range above.
  ///
  /// - Throws: ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``.
  /// - Complexity: O(1).
  public func validateHyperparameters() throws(OptimiserError) {
    let name = "ZoomLineSearch"
    try LineSearchChecks.ratios(decreaseRatio, curvatureRatio, in: name)
    try LineSearchChecks.count(maximumSteps, "maximumSteps", in: name)
    if let maximumStepSize { try HyperparameterRange.positive.check(maximumStepSize, "maximumStepSize", in: name) }
    try HyperparameterRange.nonNegative.check(tolerance, "tolerance", in: name)
    guard increaseFactor > 1, increaseFactor.isFinite else {
      throw .invalidHyperparameter(rule: name, name: "increaseFactor", value: increaseFactor, requirement: "finite and > 1")
    }
    if let approximateDecreaseRatio {
      try HyperparameterRange.nonNegative.check(approximateDecreaseRatio, "approximateDecreaseRatio", in: name)
    }
    try HyperparameterRange.nonNegative.check(stepPrecision, "stepPrecision", in: name)
  }

  /// The sufficient-decrease error (0 when the test holds; +∞ for NaN).
  @inlinable
  func decreaseError(step t: Double, at sample: LineSample<some ParameterScalar>, origin: LineSample<some ParameterScalar>) -> Double {
    // Each `a − b·c` is one fused multiply-add, as XLA compiles optax's.
    var error = (sample.value - origin.value).addingProduct(-(decreaseRatio * t), origin.slope)
    if let approximateDecreaseRatio {
      var approximate = sample.slope.addingProduct(-(2 * decreaseRatio - 1.0), origin.slope)
      let delta = (sample.value - origin.value).addingProduct(-approximateDecreaseRatio, abs(origin.value))
      approximate = NaNPropagating.max(approximate, delta)
      error = NaNPropagating.min(approximate, error)
    }
    error = NaNPropagating.max(error, 0)
    return error.isNaN ? .infinity : error
  }

  /// The curvature error (0 when the test holds; +∞ for NaN).
  @inlinable
  func curvatureError(at sample: LineSample<some ParameterScalar>, origin: LineSample<some ParameterScalar>) -> Double {
    let error = NaNPropagating.max(abs(sample.slope).addingProduct(-curvatureRatio, abs(origin.slope)), 0)
    return error.isNaN ? .infinity : error
  }
}

/// `jnp.maximum` and `jnp.minimum`: NaN if either argument is NaN.
///
/// - Complexity: O(1).
@usableFromInline
enum NaNPropagating {
  @inlinable static func max(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
  @inlinable static func min(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }
}
