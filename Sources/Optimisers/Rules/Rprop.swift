/// Rprop: resilient backpropagation, which adapts a per-coordinate step size
/// from the sign agreement of successive gradients and moves by the sign only.
///
/// With g′ = map(g), *q* the previous (stored) gradient and Δ the step sizes
/// (Δ₀ = η, q₀ = 0):
///
///     s = g′ · q
///     Δ ← clamp(Δ · (η₊ if s > 0, η₋ if s < 0, 1 if s = 0), Δmin, Δmax)
///     g′ ← 0 where s < 0                 (skip the step after a sign change)
///     p ← p − sign(g′) · Δ;   q ← g′
///
/// This is the Rprop⁻ variant without weight backtracking, and reproduces
/// `torch.optim.Rprop(params, lr=η, etas=(η₋, η₊), step_sizes=(Δmin, Δmax))`,
/// including its clamp of the first step size into [Δmin, Δmax]; the defaults
/// follow PyTorch. Rprop is meant for full-batch gradients.
///
/// Zero gradients leave the parameters in place but the step sizes still get
/// clamped, so a zero gradient is a fixed point of the parameters only.
///
/// State: the step count, *q* and Δ. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Riedmiller and Braun, *A Direct Adaptive Method for Faster
///   Backpropagation Learning: The RPROP Algorithm*, ICNN 1993.
public struct Rprop<Params: Differentiable>: Optimiser {
  /// The initial step size η; default 0.01.
  public var learningRate: Double
  /// The factor η₋ ∈ (0, 1) a step size shrinks by after a sign change;
  /// default 0.5.
  public var etaMinus: Double
  /// The factor η₊ > 1 a step size grows by while the sign holds; default 1.2.
  public var etaPlus: Double
  /// The smallest step size Δmin ≥ 0; default 1e-6.
  public var minimumStep: Double
  /// The largest step size Δmax ≥ Δmin; default 50.
  public var maximumStep: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: The initial step size η ≥ 0; default 0.01.
  ///   - etaMinus: η₋ ∈ (0, 1); default 0.5.
  ///   - etaPlus: η₊ > 1; default 1.2.
  ///   - minimumStep: Δmin ≥ 0; default 1e-6.
  ///   - maximumStep: Δmax ≥ Δmin; default 50.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 0.01, etaMinus: Double = 0.5, etaPlus: Double = 1.2, minimumStep: Double = 1e-6,
    maximumStep: Double = 50
  ) {
    self.learningRate = learningRate
    self.etaMinus = etaMinus
    self.etaPlus = etaPlus
    self.minimumStep = minimumStep
    self.maximumStep = maximumStep
    requireValidHyperparameters()
  }

  /// The step count, the previous gradient and the step sizes.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: Codable, Sendable, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<Rprop>()
    /// The number of updates applied so far.
    public var step: Int
    /// The previous gradient *q* (zero where the last step was skipped).
    public var previousGradient: Params.TangentVector
    /// The per-coordinate step sizes Δ.
    public var stepSize: Params.TangentVector

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - previousGradient: *q*.
    ///   - stepSize: Δ.
    /// - Complexity: O(1).
    @inlinable
    public init(step: Int, previousGradient: Params.TangentVector, stepSize: Params.TangentVector) {
      self.step = step
      self.previousGradient = previousGradient
      self.stepSize = stepSize
    }
  }

  /// Step 0, a zero previous gradient and every step size at η.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    let zero = params.zeroTangentVector
    return State(step: 0, previousGradient: zero, stepSize: Elementwise.filled(zero, with: learningRate))
  }

  /// One Rprop step, fused over p, g, q and Δ.
  ///
  /// - Complexity: O(*n*), one pass.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    requireValidHyperparameters()
    state.step += 1
    let up = S(etaPlus), down = S(etaMinus), low = S(minimumStep), high = S(maximumStep)
    LeafWalk.forEachLeaf(&params, gradient, &state.previousGradient, &state.stepSize) { leaf, p, g, q, delta in
      let map = map.forLeaf(leaf)
      for i in 0..<p.count {
        var gi = map.apply(g[i], parameter: p[i])
        let agreement = gi * q[i]
        let factor: S = agreement > 0 ? up : (agreement < 0 ? down : 1)
        let scaled = delta[i] * factor
        let size = scaled < low ? low : (scaled > high ? high : scaled)
        delta[i] = size
        if agreement < 0 { gi = 0 }
        p[i] -= Elementwise.sign(gi) * size
        q[i] = gi
      }
    }
  }

  /// Checks the step count and both buffers' shapes.
  ///
  /// - Complexity: O(leaves).
  @inlinable
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
    try LeafWalk.validate(state.previousGradient, named: "previousGradient", for: params)
    try LeafWalk.validate(state.stepSize, named: "stepSize", for: params)
  }

  /// Checks `learningRate` ≥ 0, 0 < η₋ < 1 < η₊ and 0 ≤ Δmin ≤ Δmax.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func validateHyperparameters() throws(OptimiserError) {
    try Hyperparameter.nonNegative(learningRate, "learningRate", in: "Rprop")
    guard etaMinus > 0, etaMinus < 1 else {
      throw .invalidHyperparameter(rule: "Rprop", name: "etaMinus", value: etaMinus, requirement: "in (0, 1)")
    }
    guard etaPlus > 1, etaPlus.isFinite else {
      throw .invalidHyperparameter(rule: "Rprop", name: "etaPlus", value: etaPlus, requirement: "finite and > 1")
    }
    try Hyperparameter.nonNegative(minimumStep, "minimumStep", in: "Rprop")
    guard maximumStep >= minimumStep, maximumStep.isFinite else {
      throw .invalidHyperparameter(
        rule: "Rprop", name: "maximumStep", value: maximumStep, requirement: "finite and ≥ minimumStep (\(minimumStep))")
    }
  }
}
