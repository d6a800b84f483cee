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
public struct Rprop<Params: Differentiable>: KernelRule, BufferNaming {
  /// The initial step size η ≥ 0 (0.01), the factor η₋ ∈ (0, 1) a step size
  /// shrinks by after a sign change (0.5), the factor η₊ > 1 it grows by while
  /// the sign holds (1.2), and the bounds Δmin ≥ 0 (1e-6) and Δmax ≥ Δmin (50).
  public var learningRate, etaMinus, etaPlus, minimumStep, maximumStep: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 0.01, etaMinus: Double = 0.5, etaPlus: Double = 1.2, minimumStep: Double = 1e-6,
    maximumStep: Double = 50
  ) {
    (self.learningRate, self.etaMinus, self.etaPlus) = (learningRate, etaMinus, etaPlus)
    (self.minimumStep, self.maximumStep) = (minimumStep, maximumStep)
    requireValidHyperparameters()
  }

  /// η ≥ 0, η₋ ∈ (0, 1), η₊ > 1, Δmin ≥ 0, Δmin ≤ Δmax < ∞.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate")
    h.declare(etaMinus, "etaMinus", HyperparameterRange(0, 1, includesLowerBound: false, includesUpperBound: false))
    h.declare(etaPlus, "etaPlus", HyperparameterRange(1, .infinity, includesLowerBound: false))
    h.nonNegative(minimumStep, "minimumStep")
    h.require(maximumStep >= minimumStep && maximumStep.isFinite, "maximumStep", maximumStep, "finite and ≥ minimumStep")
  }

  /// The buffers: the previous gradient and the step sizes.
  public static var bufferNames: [StaticString] { ["previousGradient", "stepSize"] }
  /// The step count and the buffers above (``NamedBufferState``).
  public typealias State = NamedBufferState<Params, Rprop>

  /// Step 0, a zero previous gradient and every step size at η.
  @inlinable public func initialState(for params: Params) -> State {
    let zero = params.zeroTangentVector
    return State(step: 0, previousGradient: zero, stepSize: Elementwise.filled(zero, with: learningRate))
  }

  /// One step, fused over p, g, *q* and Δ.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let up = Scalar(etaPlus), down = Scalar(etaMinus), low = Scalar(minimumStep), high = Scalar(maximumStep)
    walk { b in
      let (q, delta) = (b[0], b[1])
      for i in b.indices {
        var g = b.gradient(i)
        let agreement = g * q[i]
        let factor: Scalar = agreement > 0 ? up : (agreement < 0 ? down : 1)
        let scaled = delta[i] * factor
        let size = scaled < low ? low : (scaled > high ? high : scaled)
        delta[i] = size
        if agreement < 0 { g = 0 }
        b.p[i] -= Elementwise.sign(g) * size
        q[i] = g
      }
    }
  }
}

/// Rprop's buffers by the names of its first release.
extension NamedBufferState where Rule == Rprop<Params> {
  public init(step: Int, previousGradient: Params.TangentVector, stepSize: Params.TangentVector) { self.init(step: step, checked: [previousGradient, stepSize]) }
  public var previousGradient: Params.TangentVector { get { self[0] } set { self[0] = newValue } }
  public var stepSize: Params.TangentVector { get { self[1] } set { self[1] = newValue } }
}
