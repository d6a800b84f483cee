/// The state of ``LBFGS``: counters, the last direction and gradient, and the
/// curvature history of the two-loop recursion, as flat arrays over all
/// parameter scalars in leaf order.
///
/// Everything a step needs to continue is here, so a state decoded from a
/// checkpoint resumes a run bit-exactly. Memory: (2m + 3)·*n* scalars for a
/// history of *m* pairs (2m + 4 under the optax convention).
///
/// - Complexity: Copying is O(1) (arrays are copy-on-write); coding is O(*mn*).
public struct LBFGSState<Scalar: ParameterScalar>: Codable, Sendable, Equatable {
  /// The optimiser's name, checked when the state is decoded.
  var rule = RuleTag<LBFGSState>()
  /// Iterations made so far, over all steps (torch's `n_iter`, optax's `count`).
  public var iteration: Int
  /// Objective evaluations made so far, over all steps (torch's `func_evals`).
  public var evaluations: Int
  /// The last search direction d (empty before the first iteration).
  public var direction: [Scalar]
  /// The last step length t along ``direction``.
  public var stepSize: Double
  /// The gradient at the start of the last iteration (empty before the first).
  public var previousGradient: [Scalar]
  /// The objective value at the start of the last iteration (`nil` before the
  /// first).
  public var previousValue: Double?
  /// The parameters at the start of the last iteration (optax convention only;
  /// empty otherwise).
  public var previousParameters: [Scalar]
  /// The curvature pairs' steps sᵢ, oldest first.
  public var stepDifferences: [[Scalar]]
  /// The curvature pairs' gradient changes yᵢ, oldest first.
  public var gradientDifferences: [[Scalar]]
  /// ρᵢ = 1 / (yᵢ·sᵢ), oldest first.
  public var inverseCurvatures: [Double]
  /// The scale γ of the initial inverse Hessian γI (torch's `H_diag`).
  public var identityScale: Double
  /// The value at the current parameters, kept by the optax convention so the
  /// next step need not evaluate there (`nil` when unknown).
  public var value: Double?
  /// The gradient at the current parameters (optax convention; empty when
  /// unknown).
  public var gradient: [Scalar]
  /// The last step length accepted by the line search (optax's
  /// `learning_rate` in the line search's state; 1 initially).
  public var lineSearchStepSize: Double

  /// The state before the first step.
  ///
  /// - Complexity: O(1).
  public init() {
    iteration = 0
    evaluations = 0
    direction = []
    stepSize = 0
    previousGradient = []
    previousValue = nil
    previousParameters = []
    stepDifferences = []
    gradientDifferences = []
    inverseCurvatures = []
    identityScale = 1
    value = nil
    gradient = []
    lineSearchStepSize = 1
  }

  /// Appends the curvature pair (s, y) and its ρ = 1/(y·s), first dropping
  /// the oldest pair when the history already holds `historySize` pairs.
  ///
  /// - Complexity: O(*m*) for the shift.
  @inlinable mutating func appendPair(
    step s: [Scalar], gradientChange y: [Scalar], inverseCurvature rho: Double, historySize: Int
  ) {
    if stepDifferences.count == historySize {
      stepDifferences.removeFirst()
      gradientDifferences.removeFirst()
      inverseCurvatures.removeFirst()
    }
    stepDifferences.append(s)
    gradientDifferences.append(y)
    inverseCurvatures.append(rho)
  }

  /// Equal when every field, every scalar included, has the same bits.
  ///
  /// - Complexity: O(*mn*).
  public static func == (lhs: LBFGSState, rhs: LBFGSState) -> Bool {
    func same(_ a: [Scalar], _ b: [Scalar]) -> Bool { a.elementsEqual(b) { $0.ieeeBits == $1.ieeeBits } }
    func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern }
    func same(_ a: Double?, _ b: Double?) -> Bool { a?.bitPattern == b?.bitPattern }
    return lhs.iteration == rhs.iteration && lhs.evaluations == rhs.evaluations
      && same(lhs.direction, rhs.direction) && same(lhs.stepSize, rhs.stepSize)
      && same(lhs.previousGradient, rhs.previousGradient) && same(lhs.previousValue, rhs.previousValue)
      && same(lhs.previousParameters, rhs.previousParameters)
      && lhs.stepDifferences.elementsEqual(rhs.stepDifferences, by: same)
      && lhs.gradientDifferences.elementsEqual(rhs.gradientDifferences, by: same)
      && lhs.inverseCurvatures.elementsEqual(rhs.inverseCurvatures, by: same)
      && same(lhs.identityScale, rhs.identityScale) && same(lhs.value, rhs.value)
      && same(lhs.gradient, rhs.gradient) && same(lhs.lineSearchStepSize, rhs.lineSearchStepSize)
  }
}
