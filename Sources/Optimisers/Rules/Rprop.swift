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
public struct Rprop<Params: Differentiable>: KernelRule {
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
  public struct State: BufferedState, Equatable {
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

    /// The buffers, in the kernel's order.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&previousGradient, "previousGradient")
      visitor.visit(&stepSize, "stepSize")
    }
  }

  /// Step 0, a zero previous gradient and every step size at η.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    let zero = params.zeroTangentVector
    return State(step: 0, previousGradient: zero, stepSize: Elementwise.filled(zero, with: learningRate))
  }

  /// One step, fused over the parameters, the gradient and the state's buffers.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let up = S(etaPlus), down = S(etaMinus), low = S(minimumStep), high = S(maximumStep)
    walk { b in
      let (p, q, delta) = (b.p, b[0], b[1])
      for i in b.indices {
        var gi = b.gradient(i)
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

  /// Declares each hyperparameter's range.
  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate")
    h.declare(etaMinus, "etaMinus", HyperparameterRange(0, 1, includesLowerBound: false, includesUpperBound: false))
    h.declare(etaPlus, "etaPlus", HyperparameterRange(1, .infinity, includesLowerBound: false))
    h.nonNegative(minimumStep, "minimumStep")
    h.require(
      maximumStep >= minimumStep && maximumStep.isFinite, "maximumStep", maximumStep,
      "finite and ≥ minimumStep")
  }
}
