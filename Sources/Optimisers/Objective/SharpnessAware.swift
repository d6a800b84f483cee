/// Sharpness-aware minimisation (SAM) and adaptive SAM over any first-order
/// ``Optimiser``: each step climbs to the worst point of a small neighbourhood
/// and takes the inner rule's step with the gradient found there.
///
/// With g = ∇f(x), one ascent step (``ascentSteps`` = 1, the paper's SAM) is
///
///     x̃ = x + ε,   ε = ρ · g / ‖g‖₂                         (SAM)
///     ε = ρ · T²g / ‖T g‖₂,   T = diag(|xᵢ| + η)              (adaptive SAM)
///
/// and then the inner rule updates x (not x̃) with g̃ = ∇f(x̃). With k ascent
/// steps the climb repeats from x̃ with the gradient there, each step
/// normalised anew. ‖·‖₂ runs over every scalar of every leaf, summed in a
/// fixed blocked order (``Parallelism`` does not change it). A zero gradient
/// gives ε = 0.
///
/// ```swift
/// let sam = SharpnessAware(Adam<Affine>(learningRate: 1e-3), radius: 0.05)
/// var state = sam.initialState(for: model)
/// try sam.step(&state, &model) { m in valueWithGradient(at: m) { loss($0, x, y) } }
/// ```
///
/// ## optax
/// SAM with k ascent steps is `optax.contrib.sam(rule, adv, sync_period=k + 1,
/// opaque_mode=True)` with the adversarial optimiser
/// `adv = optax.chain(optax.contrib.normalize(), optax.sgd(ρ))` (optax has no
/// default: this is the paper's, from optax's docstring) and its state reset
/// after each update (`reset_state=True`; normalised SGD has no state).
/// The objective's first evaluation plays optax's `updates` argument, the
/// others its `grad_fn`. One call of ``step(_:_:objective:)`` is one optax
/// `update` with `apply_updates`, and matches it iterate by iterate. optax's
/// default `opaque_mode=False` spreads the same step over k + 1 calls and
/// returns to x by adding `x − x̃` back, which agrees to rounding (about one
/// unit in the last place), not bitwise.
///
/// Defaults: ρ = 0.05 (the paper's), one ascent step, η = 0.01 for the
/// adaptive form (Kwon et al.'s). Evaluations per step: ``ascentSteps`` + 1.
/// Memory: the inner rule's state, plus two parameter-sized temporaries during
/// a step.
///
/// - Complexity: O(*n*) per ascent step, plus the evaluations and the inner
///   rule's update.
/// - References: Foret et al., *Sharpness-Aware Minimization for Efficiently
///   Improving Generalization*, ICLR 2021; Kwon et al., *ASAM: Adaptive
///   Sharpness-Aware Minimization for Scale-Invariant Learning of Deep Neural
///   Networks*, ICML 2021.
public struct SharpnessAware<Rule: Optimiser>: ObjectiveOptimiser {
  /// The parameters of the inner rule.
  public typealias Params = Rule.Params
  /// The inner rule's state and the step count.
  public typealias State = SharpnessAwareState<Rule.State>

  /// The first-order rule that takes the step (optax's outer `optimizer`).
  public var rule: Rule
  /// ρ, the neighbourhood's radius; > 0; default 0.05.
  public var radius: Double
  /// Whether to scale the ascent elementwise by |xᵢ| + η (adaptive SAM);
  /// default `false`.
  public var adaptive: Bool
  /// η, added to |xᵢ| in the adaptive form; ≥ 0; default 0.01.
  public var adaptiveOffset: Double
  /// k, the ascent steps before each update (optax's `sync_period − 1`);
  /// ≥ 1; default 1.
  public var ascentSteps: Int

  /// Creates the wrapper.
  ///
  /// - Parameters:
  ///   - rule: The rule that takes the step.
  ///   - radius: ρ > 0; default 0.05.
  ///   - adaptive: Adaptive SAM; default `false`.
  ///   - adaptiveOffset: η ≥ 0; default 0.01.
  ///   - ascentSteps: k ≥ 1; default 1.
  /// - Precondition: Every value is in range (``validateHyperparameters()``
  ///   throws instead).
  /// - Complexity: O(1).
  public init(_ rule: Rule, radius: Double = 0.05, adaptive: Bool = false, adaptiveOffset: Double = 0.01, ascentSteps: Int = 1) {
    self.rule = rule
    self.radius = radius
    self.adaptive = adaptive
    self.adaptiveOffset = adaptiveOffset
    self.ascentSteps = ascentSteps
    requireValidHyperparameters()
  }

  /// The inner rule's initial state.
  ///
  /// - Complexity: That of the rule's.
  public func initialState(for params: Params) -> State { State(inner: rule.initialState(for: params)) }

  /// Checks ρ, η, k and the inner rule's hyperparameters.
  ///
  /// - Throws: ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``.
  /// - Complexity: O(1).
  public func validateHyperparameters() throws(OptimiserError) {
    try HyperparameterRange.positive.check(radius, "radius", in: "SharpnessAware")
    try HyperparameterRange.nonNegative.check(adaptiveOffset, "adaptiveOffset", in: "SharpnessAware")
    guard ascentSteps >= 1 else {
      throw .invalidHyperparameter(rule: "SharpnessAware", name: "ascentSteps", value: Double(ascentSteps), requirement: "≥ 1")
    }
    try rule.validateHyperparameters()
  }

  /// Checks the step count and the inner rule's state.
  ///
  /// - Throws: ``OptimiserError``.
  /// - Complexity: That of the rule's check.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    guard state.step >= 0 else { throw .invalidState("negative step count \(state.step)") }
    try rule.validate(state.inner, for: params)
  }

  /// One SAM update: k ascent steps, then the inner rule's step from x with
  /// the last gradient.
  ///
  /// - Throws: ``ObjectiveError`` for a non-finite value or gradient; `state`
  ///   and `params` are then unchanged.
  /// - Complexity: O(*kn*) plus k + 1 evaluations and the rule's update.
  @inlinable
  @discardableResult
  public func step(
    _ state: inout State, _ params: inout Params,
    objective: (Params) -> (value: Params.TangentVector.Scalar, gradient: Params.TangentVector)
  ) throws(ObjectiveError) -> ObjectiveStepReport {
    var (value, gradient) = objective(params)
    let initialValue = Double(value)
    var evaluations = 1
    var perturbed = params
    while true {
      guard value.isFinite else { throw .nonFiniteValue(value: Double(value), evaluation: evaluations) }
      guard gradient.isFinite else { throw .nonFiniteGradient(evaluation: evaluations) }
      LeafWalk.checkShapes(of: params, gradient, role: "gradient")
      if evaluations > ascentSteps { break }
      perturbed.move(by: ascent(gradient, at: perturbed))
      (value, gradient) = objective(perturbed)
      evaluations += 1
    }
    rule.update(&state.inner, &params, gradient)
    state.step += 1
    return ObjectiveStepReport(
      iterations: 1, evaluations: evaluations, initialValue: initialValue, finalValue: nil,
      stopReason: .singleUpdate)
  }

  /// ε for gradient `g` at `x`: ρ·(gᵢ / ‖g‖), or ρ·((tᵢ tᵢ gᵢ) / ‖t g‖)
  /// with tᵢ = |xᵢ| + η in the adaptive form.
  @inlinable
  func ascent(_ g: Params.TangentVector, at x: Params) -> Params.TangentVector {
    typealias S = Params.TangentVector.Scalar
    var scaled = g
    let rho = S(radius), eta = S(adaptiveOffset)
    if adaptive {
      for index in 0..<g.leafCount {
        x.withParameterLeaf(at: index) { p in
          scaled.withMutableLeaf(at: index) { v in
            for i in 0..<v.count { v[i] = (abs(p[i]) + eta) * v[i] }
          }
        }
      }
    }
    var squares = 0.0
    for index in 0..<scaled.leafCount {
      squares += scaled.withLeaf(at: index) { v in v.isEmpty ? 0 : FlatKernels.dot(v.baseAddress!, v.baseAddress!, v.count) }
    }
    let norm = S(squares.squareRoot())
    guard norm > 0 else { return S(0) * g }
    var epsilon = adaptive ? scaled : g
    for index in 0..<epsilon.leafCount {
      x.withParameterLeaf(at: index) { p in
        epsilon.withMutableLeaf(at: index) { v in
          if adaptive {
            for i in 0..<v.count { v[i] = rho * (((abs(p[i]) + eta) * v[i]) / norm) }
          } else {
            for i in 0..<v.count { v[i] = rho * (v[i] / norm) }
          }
        }
      }
    }
    return epsilon
  }
}
