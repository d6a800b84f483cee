/// RMSProp: divides the gradient by a running root mean square, optionally
/// centred and with momentum.
///
/// With g′ = map(g), ρ the decay and the buffers starting at zero:
///
///     v ← ρ v + (1 − ρ) g′²                    (mean square)
///     ḡ ← ḡ + (1 − ρ)(g′ − ḡ)                  (mean gradient, centred only)
///     s² = v − ḡ²  if centred,  v  otherwise
///     d = √s² + ε      (.outside, PyTorch)     or   √(s² + ε)   (.inside, optax)
///     b ← μ b + g′ / d;  p ← p − η b           (momentum μ > 0)
///     p ← p − η g′ / d                          (μ = 0)
///
/// There is no bias correction (neither reference has one by default). The
/// default, ``EpsilonPlacement/outside``, reproduces
/// `torch.optim.RMSprop(params, lr=η, alpha=ρ, eps=ε, momentum=μ, centered=)`;
/// ``EpsilonPlacement/inside`` reproduces
/// `optax.rmsprop(η, decay=ρ, eps=ε, eps_in_sqrt=True, centered=, momentum=μ)`
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
public struct RMSProp<Params: Differentiable>: Optimiser {
  /// Where ε enters the denominator.
  ///
  /// - Complexity: O(1).
  public enum EpsilonPlacement: String, Codable, Sendable, Hashable {
    /// d = √s² + ε: `torch.optim.RMSprop` (and Keras).
    case outside
    /// d = √(s² + ε): `optax.rmsprop` with its default `eps_in_sqrt=True`.
    case inside
  }

  /// The learning rate η; default 0.01.
  public var learningRate: Double
  /// The mean-square decay ρ ∈ [0, 1); default 0.99 (PyTorch's `alpha`).
  public var rho: Double
  /// The denominator's guard ε > 0; default 1e-8.
  public var epsilon: Double
  /// The momentum μ ∈ [0, 1); default 0 (no momentum buffer).
  public var momentum: Double
  /// Whether to divide by an estimate of the standard deviation (v − ḡ²)
  /// rather than the root mean square; default `false`.
  public var centred: Bool
  /// Where ε goes; default ``EpsilonPlacement/outside`` (PyTorch).
  public var epsilonPlacement: EpsilonPlacement

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.01.
  ///   - rho: ρ ∈ [0, 1); default 0.99.
  ///   - epsilon: ε > 0; default 1e-8.
  ///   - momentum: μ ∈ [0, 1); default 0.
  ///   - centred: Use the centred form; default `false`.
  ///   - epsilonPlacement: ε outside (PyTorch) or inside (optax) the square
  ///     root; default `.outside`.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 0.01, rho: Double = 0.99, epsilon: Double = 1e-8, momentum: Double = 0,
    centred: Bool = false, epsilonPlacement: EpsilonPlacement = .outside
  ) {
    self.learningRate = learningRate
    self.rho = rho
    self.epsilon = epsilon
    self.momentum = momentum
    self.centred = centred
    self.epsilonPlacement = epsilonPlacement
    requireValidHyperparameters()
  }

  /// The step count, the mean square and the optional buffers.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: Codable, Sendable, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<RMSProp>()
    /// The number of updates applied so far.
    public var step: Int
    /// The running mean square *v*, shaped like the parameters.
    public var meanSquare: Params.TangentVector
    /// The running mean gradient ḡ, present when the rule is centred.
    public var meanGradient: Params.TangentVector?
    /// The momentum buffer *b*, present when μ > 0.
    public var momentumBuffer: Params.TangentVector?

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - meanSquare: *v*.
    ///   - meanGradient: ḡ, or `nil`.
    ///   - momentumBuffer: *b*, or `nil`.
    /// - Complexity: O(1).
    @inlinable
    public init(
      step: Int, meanSquare: Params.TangentVector, meanGradient: Params.TangentVector?,
      momentumBuffer: Params.TangentVector?
    ) {
      self.step = step
      self.meanSquare = meanSquare
      self.meanGradient = meanGradient
      self.momentumBuffer = momentumBuffer
    }
  }

  /// Step 0, zero mean square, and zero ḡ and *b* when the configuration uses
  /// them.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    let zero = params.zeroTangentVector
    return State(
      step: 0, meanSquare: zero, meanGradient: centred ? zero : nil, momentumBuffer: momentum > 0 ? zero : nil)
  }

  /// The per-step constants of one update, converted to the scalar type.
  @usableFromInline
  struct Coefficients<S: ParameterScalar>: Sendable {
    @usableFromInline let rate: S, keep: S, mix: S, epsilon: S, momentum: S
    @usableFromInline let inside: Bool

    @inlinable
    init(_ rule: RMSProp) {
      rate = S(rule.learningRate)
      keep = S(rule.rho)
      mix = S(1 - rule.rho)
      epsilon = S(rule.epsilon)
      momentum = S(rule.momentum)
      inside = rule.epsilonPlacement == .inside
    }

    /// Updates *v* (and ḡ when `centred`) and returns the denominator d.
    @inlinable
    func denominator(_ g: S, _ v: inout S, _ mean: inout S, centred: Bool) -> S {
      v = keep * v + mix * g * g
      var square = v
      if centred {
        mean += mix * (g - mean)
        square = v - mean * mean
      }
      return inside ? S.squareRoot(of: square + epsilon) : S.squareRoot(of: square) + epsilon
    }
  }

  /// One RMSProp step, fused over p, g and the buffers in use.
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
    let k = Coefficients<S>(self)
    switch (centred, momentum > 0) {
    case (false, false):
      LeafWalk.forEachLeaf(&params, gradient, &state.meanSquare) { leaf, p, g, v in
        let map = map.forLeaf(leaf)
        var unused: S = 0
        for i in 0..<p.count {
          let gi = map.apply(g[i], parameter: p[i])
          let d = k.denominator(gi, &v[i], &unused, centred: false)
          p[i] -= k.rate * (gi / d)
        }
      }
    case (true, false):
      var mean = state.meanGradient.take() ?? params.zeroTangentVector
      LeafWalk.forEachLeaf(&params, gradient, &state.meanSquare, &mean) { leaf, p, g, v, a in
        let map = map.forLeaf(leaf)
        for i in 0..<p.count {
          let gi = map.apply(g[i], parameter: p[i])
          let d = k.denominator(gi, &v[i], &a[i], centred: true)
          p[i] -= k.rate * (gi / d)
        }
      }
      state.meanGradient = mean
    case (false, true):
      var buffer = state.momentumBuffer.take() ?? params.zeroTangentVector
      LeafWalk.forEachLeaf(&params, gradient, &state.meanSquare, &buffer) { leaf, p, g, v, b in
        let map = map.forLeaf(leaf)
        var unused: S = 0
        for i in 0..<p.count {
          let gi = map.apply(g[i], parameter: p[i])
          let d = k.denominator(gi, &v[i], &unused, centred: false)
          let bi = k.momentum * b[i] + gi / d
          b[i] = bi
          p[i] -= k.rate * bi
        }
      }
      state.momentumBuffer = buffer
    case (true, true):
      var mean = state.meanGradient.take() ?? params.zeroTangentVector
      var buffer = state.momentumBuffer.take() ?? params.zeroTangentVector
      LeafWalk.forEachLeaf(&params, gradient, &state.meanSquare, &mean, &buffer) { leaf, p, g, v, a, b in
        let map = map.forLeaf(leaf)
        for i in 0..<p.count {
          let gi = map.apply(g[i], parameter: p[i])
          let d = k.denominator(gi, &v[i], &a[i], centred: true)
          let bi = k.momentum * b[i] + gi / d
          b[i] = bi
          p[i] -= k.rate * bi
        }
      }
      state.meanGradient = mean
      state.momentumBuffer = buffer
    }
  }

  /// Checks the step count and the shapes of every buffer present.
  ///
  /// - Complexity: O(leaves).
  @inlinable
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
    try LeafWalk.validate(state.meanSquare, named: "meanSquare", for: params)
    if let mean = state.meanGradient { try LeafWalk.validate(mean, named: "meanGradient", for: params) }
    if let buffer = state.momentumBuffer { try LeafWalk.validate(buffer, named: "momentumBuffer", for: params) }
  }

  /// Checks `learningRate` ≥ 0, ρ ∈ [0, 1), ε > 0 and μ ∈ [0, 1).
  ///
  /// - Complexity: O(1).
  @inlinable
  public func validateHyperparameters() throws(OptimiserError) {
    try Hyperparameter.nonNegative(learningRate, "learningRate", in: "RMSProp")
    try Hyperparameter.unitInterval(rho, "rho", in: "RMSProp")
    try Hyperparameter.positive(epsilon, "epsilon", in: "RMSProp")
    try Hyperparameter.unitInterval(momentum, "momentum", in: "RMSProp")
  }
}
