/// Adafactor as `optax.adafactor` computes it: ε₁ added to g′², an absolute
/// learning rate, optional momentum, and weight decay added to the update.
///
/// With g′ = map(g), t the step number counted from 1 and β̂ₜ = 1 − (t −
/// offset)^(−decayRate) (computed in single precision, as optax does; steps
/// before the offset use t = 1, where optax would produce NaN), for a leaf
/// factored over its two largest axes (rows R, columns C):
///
///     R ← β̂ₜ R + (1 − β̂ₜ) mean_col(g′² + ε₁),  C likewise
///     u = g′ · (R / mean(R))^(−½) · C^(−½)      (g′ · v^(−½), v ← β̂ₜ v + (1 − β̂ₜ)(g′² + ε₁), unfactored)
///     u ← u / max(1, RMS(u) / d)                (when d = `clippingThreshold` is set)
///     u ← η u                                   (when η is set)
///     u ← max(RMS(p), ε₂) · u                   (`multiplyByParameterScale`)
///     m ← (1 − β₁) u + β₁ m;  u ← m             (when β₁ = `momentum` is set)
///     p ← p − (u + λ p)
///
/// This reproduces `optax.adafactor(learning_rate=η, min_dim_size_to_factor=,
/// decay_rate=, decay_offset=, multiply_by_parameter_scale=,
/// clipping_threshold=d, momentum=β₁, weight_decay_rate=λ, eps=ε₁, factored=)`
/// with optax's defaults; ε₂ (1e-3, fixed in optax) is configurable.
/// `Adafactor(variant: .optax)` runs this rule; ``Adafactor`` is PyTorch's. The
/// two share their factored second moments (the state is ``Adafactor/State``).
///
/// State: the step count, per leaf the factored statistics or a full second
/// moment, and the momentum when β₁ is set.
///
/// - Complexity: O(*n*) per step, two to four passes per leaf; memory
///   O(rows + columns) per factored matrix.
/// - References: Shazeer and Stern, *Adafactor: Adaptive Learning Rates with
///   Sublinear Memory Cost*, ICML 2018; optax `adafactor`.
public struct OptaxAdafactor<Params: Differentiable>: KernelRule {
  /// The learning rate η ≥ 0, or `nil` for none (nil); the smallest size ≥ 1 of
  /// both factored axes (128); the exponent ≥ 0 of β̂ₜ (0.8) and the steps ≥ 0
  /// subtracted from t (0); whether to scale by max(RMS(p), ε₂) (true); the
  /// clipping threshold d > 0 or `nil` (1); the momentum β₁ ∈ [0, 1) or `nil`
  /// (nil); the weight decay λ ≥ 0 (0); ε₁ > 0 added to g′² (1e-30); the
  /// parameter-scale floor ε₂ ≥ 0 (1e-3); whether to factor matrices (true).
  public var learningRate: Double?, minimumSizeToFactor: Int, decayRate: Double, decayOffset: Int
  public var multiplyByParameterScale: Bool, clippingThreshold: Double?, momentum: Double?
  public var weightDecay: Double, epsilon1: Double, epsilon2: Double, factored: Bool

  /// Creates the rule with optax's defaults; stops with a message naming any
  /// hyperparameter out of range.
  @inlinable
  public init(
    learningRate: Double? = nil, minimumSizeToFactor: Int = 128, decayRate: Double = 0.8, decayOffset: Int = 0,
    multiplyByParameterScale: Bool = true, clippingThreshold: Double? = 1, momentum: Double? = nil,
    weightDecay: Double = 0, epsilon1: Double = 1e-30, epsilon2: Double = 1e-3, factored: Bool = true
  ) {
    (self.learningRate, self.minimumSizeToFactor, self.decayRate, self.decayOffset) =
      (learningRate, minimumSizeToFactor, decayRate, decayOffset)
    (self.multiplyByParameterScale, self.clippingThreshold, self.momentum) =
      (multiplyByParameterScale, clippingThreshold, momentum)
    (self.weightDecay, self.epsilon1, self.epsilon2, self.factored) = (weightDecay, epsilon1, epsilon2, factored)
    requireValidHyperparameters()
  }

  /// The optax algorithm with an ``Adafactor``'s hyperparameters (its `.optax` variant).
  @inlinable
  init(_ rule: Adafactor<Params>) {
    (learningRate, minimumSizeToFactor, decayRate, decayOffset) =
      (rule.learningRate, rule.minimumSizeToFactor, rule.decayRate, rule.decayOffset)
    (multiplyByParameterScale, clippingThreshold, momentum) =
      (rule.multiplyByParameterScale, rule.clippingThreshold, rule.momentum)
    (weightDecay, epsilon1, epsilon2, factored) = (rule.weightDecay, rule.epsilon1 ?? 1e-30, rule.epsilon2, rule.factored)
  }

  /// η ≥ 0 or nil, `minimumSizeToFactor` ≥ 1, `decayRate` ≥ 0, `decayOffset` ≥ 0,
  /// d > 0 or nil, β₁ ∈ [0, 1) or nil, λ ≥ 0, ε₁ > 0, ε₂ ≥ 0.
  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate")
    h.require(minimumSizeToFactor >= 1, "minimumSizeToFactor", Double(minimumSizeToFactor), "≥ 1")
    h.nonNegative(decayRate, "decayRate"); h.require(decayOffset >= 0, "decayOffset", Double(decayOffset), "≥ 0")
    h.positive(clippingThreshold, "clippingThreshold"); h.declare(momentum, "momentum", .unitInterval)
    h.nonNegative(weightDecay, "weightDecay"); h.positive(epsilon1, "epsilon1"); h.nonNegative(epsilon2, "epsilon2")
  }

  /// The state ``Adafactor`` keeps: per-leaf statistics and the momentum.
  public typealias State = Adafactor<Params>.State

  /// The factoring of a leaf of this shape (its two largest axes), or `nil`.
  @inlinable
  func factoring(for shape: [Int]) -> Factoring? {
    Factoring.plan(for: shape, factored: factored, minimumSize: minimumSizeToFactor, largestAxes: true)
  }

  /// Step 0, zero statistics, and a zero momentum when β₁ is set.
  @inlinable public func initialState(for params: Params) -> State {
    Adafactor.initialState(for: params, factoring, momentum: momentum != nil)
  }

  /// Creates or drops the momentum as β₁ needs, then steps.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    Adafactor.keepMomentum(momentum != nil, in: &state, for: params)
    runStep(&state, &params, gradient, preprocessing: map)
  }

  /// One step, leaf by leaf.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    Adafactor.forEachLeaf(walk, factoring) { p, g, map, plan, rows, columns, full, m in
      leafStep(p, g, map, plan, rows, columns, full, m, step: t)
    }
  }

  /// Checks the step count, the momentum and every leaf's statistics.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try Adafactor.validate(state, for: params) { Adafactor<Params>.Statistics(zerosFor: $0, factoring(for: $0)) }
  }

  /// One leaf of `optax.adafactor`.
  @inlinable
  func leafStep<S: ParameterScalar, Map: GradientMap>(
    _ p: UnsafeMutableBufferPointer<S>, _ g: UnsafeBufferPointer<S>, _ map: Map, _ plan: Factoring?,
    _ rows: UnsafeMutableBufferPointer<S>, _ columns: UnsafeMutableBufferPointer<S>,
    _ full: UnsafeMutableBufferPointer<S>, _ m: UnsafeMutableBufferPointer<S>?, step: Int
  ) {
    let count = p.count
    // optax evaluates the schedule in single precision: t = float32(step − offset),
    // β̂ = 1 − t^(−decayRate) with the exponent rounded to float32 too. Steps
    // before the offset (where optax's t ≤ 0 gives NaN) use t = 1.
    let t = Float(Swift.max(step - decayOffset, 1))
    let decay: Float = 1 - Float(power(Double(t), Double(Float(-decayRate))))
    let keep = S(decay), mix = S(1 - decay)
    let offset = S(epsilon1)
    var rowFactors: [S] = [], columnFactors: [S] = []
    if let plan {
      let sums = plan.sums(p, g, map, offset: offset)
      for r in 0..<rows.count { rows[r] = keep * rows[r] + mix * (sums.rows[r] / S(plan.columns)) }
      for c in 0..<columns.count { columns[c] = keep * columns[c] + mix * (sums.columns[c] / S(plan.rows)) }
      let means = plan.rowMeans(rows)
      rowFactors = (0..<rows.count).map { 1 / S.squareRoot(of: rows[$0] / means[$0 / plan.rows]) }
      columnFactors = (0..<columns.count).map { 1 / S.squareRoot(of: columns[$0]) }
    } else {
      for i in 0..<count {
        let gi = map.apply(g[i], parameter: p[i])
        full[i] = keep * full[i] + mix * (gi * gi + offset)
      }
    }
    // The scaled update of element i, before clipping.
    func direction(_ i: Int, _ r: Int, _ c: Int) -> S {
      let gi = map.apply(g[i], parameter: p[i])
      return plan == nil ? gi * (1 / S.squareRoot(of: full[i])) : gi * rowFactors[r] * columnFactors[c]
    }
    func forEachElement(_ body: (Int, Int, Int) -> Void) {
      if let plan { plan.forEach(body) } else { for i in 0..<count { body(i, 0, 0) } }
    }
    var clip: S = 1
    if let clippingThreshold {
      var squares: S = 0
      forEachElement { i, r, c in
        let u = direction(i, r, c)
        squares += u * u
      }
      clip = Swift.max(1, S.squareRoot(of: squares / S(count)) / S(clippingThreshold))
    }
    var parameterScale: S = 1
    if multiplyByParameterScale {
      var squares: S = 0
      for i in 0..<count { squares += p[i] * p[i] }
      let rms = S.squareRoot(of: squares / S(count))
      parameterScale = rms <= S(epsilon2) ? S(epsilon2) : rms
    }
    let rate = learningRate.map { S($0) }
    let beta = momentum.map { S($0) } ?? 0, keepBeta = momentum.map { S(1 - $0) } ?? 1
    let decayWeight = S(weightDecay)
    forEachElement { i, r, c in
      var u = direction(i, r, c) / clip
      if let rate { u = u * rate }
      if multiplyByParameterScale { u = u * parameterScale }
      if let m {
        u = keepBeta * u + beta * m[i]
        m[i] = u
      }
      p[i] -= u + decayWeight * p[i]
    }
  }
}
