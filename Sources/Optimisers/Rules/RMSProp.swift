/// RMSProp: divides the gradient by a running root mean square, optionally
/// centred and with momentum.
///
/// With g′ = map(g) + λp (torch's coupled `weight_decay`, 0 by default), ρ the
/// decay, v starting at `initialScale` (0) and the other buffers at zero:
///
///     v ← ρ v + (1 − ρ) g′²                    (mean square)
///     ḡ ← ḡ + (1 − ρ)(g′ − ḡ)                  (mean gradient, centred only)
///     v̂ = v / c, ḡ̂ = ḡ / c,  c = 1 − ρᵗ with biasCorrection, else c = 1
///     s² = v̂ − ḡ̂²  if centred,  v̂  otherwise
///     d = √s² + ε      (.outside, PyTorch)     or   √(s² + ε)   (.inside, optax)
///     b ← μ b + g′ / d;  p ← p − η b           (momentum μ > 0)
///     b ← μ b + g′ / d;  p ← p − η (g′/d + μ b) (momentum μ > 0, nesterov)
///     p ← p − η g′ / d                          (μ = 0)
///
/// optax's `initial_scale`, `bias_correction` and `nesterov` are
/// ``initialScale``, ``biasCorrection`` and ``nesterov``; torch has none of them
/// (their defaults, 0 and `false`, are torch's behaviour). The
/// default, ``EpsilonPlacement/outside``, reproduces
/// `torch.optim.RMSprop(params, lr=η, alpha=ρ, eps=ε, momentum=μ, centered=)`;
/// ``EpsilonPlacement/inside`` reproduces
/// `optax.rmsprop(η, decay=ρ, eps=ε, initial_scale=, eps_in_sqrt=True, centered=,
/// momentum=μ, nesterov=, bias_correction=)`
/// (optax applies the learning rate before the momentum trace; for a constant
/// η the two orders give the same iterates). The defaults follow PyTorch
/// (ρ = 0.99; optax's is 0.9).
///
/// State: the step count, *v*, and — only when used — ḡ (centred) and the
/// momentum buffer *b*. A buffer that a changed hyperparameter later needs
/// starts at zero on that step.
///
/// - Complexity: O(*n*) per step, one fused pass over p, g and the buffers.
/// - References: Tieleman and Hinton, *Lecture 6.5 — RMSProp*, COURSERA: Neural
///   Networks for Machine Learning, 2012; Graves, *Generating Sequences With
///   Recurrent Neural Networks*, 2013 (the centred form).
public struct RMSProp<Params: Differentiable>: KernelRule, CheckpointDescribable {
  /// Where ε enters the denominator.
  ///
  /// - Complexity: O(1).
  public enum EpsilonPlacement: String, Codable, Sendable, Hashable {
    /// d = √s² + ε: `torch.optim.RMSprop` (and Keras).
    case outside
    /// d = √(s² + ε): `optax.rmsprop` with its default `eps_in_sqrt=True`.
    case inside
  }

  /// The learning rate η ≥ 0 (0.01), the squared-gradient decay ρ ∈ [0, 1)
  /// (0.99, torch's; optax's is 0.9), the guard ε > 0 (1e-8), the momentum
  /// μ ∈ [0, 1) (0 keeps no momentum buffer), optax's starting value ≥ 0 of the
  /// mean square (0) and torch's coupled weight decay λ ≥ 0 (0).
  public var learningRate, rho, epsilon, momentum, initialScale, weightDecay: Double
  /// Whether to divide by the centred second moment v − ḡ² (`false`), to
  /// bias-correct both means by 1 − ρᵗ (`false`), and to take a Nesterov
  /// step through the momentum buffer (`false`).
  public var centred, biasCorrection, nesterov: Bool
  /// Where ε goes: outside the square root (torch, the default) or inside (optax).
  public var epsilonPlacement: EpsilonPlacement

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 0.01, rho: Double = 0.99, epsilon: Double = 1e-8, momentum: Double = 0,
    centred: Bool = false, epsilonPlacement: EpsilonPlacement = .outside, initialScale: Double = 0,
    biasCorrection: Bool = false, nesterov: Bool = false, weightDecay: Double = 0
  ) {
    (self.learningRate, self.rho, self.epsilon, self.momentum) = (learningRate, rho, epsilon, momentum)
    (self.centred, self.epsilonPlacement, self.initialScale) = (centred, epsilonPlacement, initialScale)
    (self.biasCorrection, self.nesterov, self.weightDecay) = (biasCorrection, nesterov, weightDecay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, ρ ∈ [0, 1), ε > 0, μ ∈ [0, 1), initial scale ≥ 0, λ ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(rho, "rho"); h.positive(epsilon, "epsilon")
    h.unitInterval(momentum, "momentum"); h.option(initialScale, "initialScale"); h.option(weightDecay, "weightDecay")
    h.option(biasCorrection, "biasCorrection"); h.option(nesterov, "nesterov")
  }

  /// The step count, the mean square and the optional buffers.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: BufferedState, Equatable {
    var rule = RuleTag<RMSProp>()
    /// The number of updates applied so far.
    public var step: Int
    /// The running mean of g², *v*.
    public var meanSquare: Params.TangentVector
    /// The running mean of g, ḡ, when centred.
    public var meanGradient: Params.TangentVector?
    /// The momentum buffer, when momentum > 0.
    public var momentumBuffer: Params.TangentVector?

    /// A state from its parts.
    @inlinable
    public init(
      step: Int, meanSquare: Params.TangentVector, meanGradient: Params.TangentVector?,
      momentumBuffer: Params.TangentVector?
    ) {
      (self.step, self.meanSquare, self.meanGradient, self.momentumBuffer) = (step, meanSquare, meanGradient, momentumBuffer)
    }

    /// *v*, then ḡ and the momentum buffer where kept.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&meanSquare, "meanSquare")
      visitor.visit(&meanGradient, "meanGradient")
      visitor.visit(&momentumBuffer, "momentumBuffer")
    }
  }

  /// Step 0, *v* filled with `initialScale`, and zero buffers: ḡ when centred, a
  /// momentum buffer when momentum > 0.
  @inlinable public func initialState(for params: Params) -> State {
    let zero = params.zeroTangentVector
    let square = initialScale == 0 ? zero : Elementwise.filled(zero, with: initialScale)
    return State(step: 0, meanSquare: square, meanGradient: centred ? zero : nil, momentumBuffer: momentum > 0 ? zero : nil)
  }

  /// Creates a buffer that the hyperparameters now need (centred, or momentum
  /// turned on mid-run) as zeros, then steps.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    if centred && state.meanGradient == nil { state.meanGradient = params.zeroTangentVector }
    if momentum > 0 && state.momentumBuffer == nil { state.momentumBuffer = params.zeroTangentVector }
    runStep(&state, &params, gradient, preprocessing: map)
  }

  /// One step, fused over p, g, v and the buffers this configuration keeps.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let rate = Scalar(learningRate), keep = Scalar(rho), mix = Scalar(1 - rho), eps = Scalar(epsilon), mu = Scalar(momentum)
    let isCentred = centred, hasMomentum = momentum > 0, inside = epsilonPlacement == .inside
    let corrected = biasCorrection, c = Scalar(1 - power(rho, Double(t))), lookAhead = nesterov, l2 = Scalar(weightDecay)
    walk { b in
      let v = b[0], mean = isCentred ? b[1] : v, buffer = hasMomentum ? b[2] : v
      b.forEachGradient(weightDecay: l2) { i, g in
        let vi = keep * v[i] + mix * g * g
        v[i] = vi
        var square = corrected ? vi / c : vi
        if isCentred {
          let average = mean[i] + mix * (g - mean[i]), centre = corrected ? average / c : average
          mean[i] = average
          square = square - centre * centre
        }
        let d = inside ? Scalar.squareRoot(of: square + eps) : Scalar.squareRoot(of: square) + eps
        if hasMomentum {
          let velocity = mu * buffer[i] + g / d
          buffer[i] = velocity
          b.p[i] -= rate * (lookAhead ? g / d + mu * velocity : velocity)
        } else {
          b.p[i] -= rate * (g / d)
        }
      }
    }
  }
}
