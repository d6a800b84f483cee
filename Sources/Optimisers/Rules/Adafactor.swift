/// Adafactor: an adaptive rule whose second moments of matrices are stored
/// factored — one statistic per row and one per column — so its memory grows
/// with rows + columns instead of rows × columns.
///
/// For a leaf of rank ≥ 2 (when `factored` and both chosen dimensions are at
/// least `minimumSizeToFactor`), two axes are factored and any others are
/// batch axes. With g′ = map(g), t the step number counted from 1, β̂ₜ the
/// second-moment weight, and R (per row), C (per column) the running means of
/// g′² over the other factored axis, the full second moment is estimated as
/// V̂ = R Cᵀ / mean(R). Leaves of rank < 2 keep a full second moment *v*. Two
/// references differ in almost every detail, so a ``Variant`` chooses one:
///
/// ``Variant/pytorch`` (the default; the paper's relative step size), with
/// ε₁ = `epsilon1` (the scalar type's machine ε when `nil`):
///
///     ρₜ = min(η, 1/√t)           (1/√t when η is nil)
///     α = max(ε₂, RMS(p)) · ρₜ     (ρₜ without the parameter scale)
///     p ← p · (1 − η λ)
///     R ← R + t^(−decayRate) (mean_col g′² − R),  C likewise (rows, columns = the last two axes)
///     V̂ = R Cᵀ / max(mean(R), ε₁)      (v ← v + t^(−decayRate)(g′² − v) when unfactored)
///     u = g′ / √max(V̂, ε₁²)
///     p ← p − α / max(1, RMS(u) / d) · u
///
/// ``Variant/optax`` runs ``OptaxAdafactor`` (optax's algorithm, whose own
/// defaults differ) with these hyperparameters; ε₁ defaults to 1e-30 there.
///
/// `.pytorch` reproduces `torch.optim.Adafactor(params, lr=η,
/// beta2_decay=−decayRate, eps=(ε₁, ε₂), d=d, weight_decay=λ)`; `.optax`
/// reproduces `optax.adafactor(η, min_dim_size_to_factor=, decay_rate=,
/// decay_offset=, multiply_by_parameter_scale=, clipping_threshold=d,
/// momentum=β₁, weight_decay_rate=λ, eps=ε₁, factored=)`. The defaults follow
/// PyTorch (which factors every matrix); for optax's defaults pass
/// `learningRate: nil, minimumSizeToFactor: 128, variant: .optax`. ε₂ (the
/// parameter-scale floor, 1e-3) is fixed in optax and configurable here. `momentum`
/// and `decayOffset` exist only in optax, and are rejected with `.pytorch`.
///
/// The RMS reductions (of *p*, of the update for clipping) and the factored
/// row and column means need passes over a leaf before its update, so each leaf
/// is walked two to four times, whole (``Walk/wholeLeaves(_:_:)``, with each
/// leaf's statistics as its per-leaf state).
///
/// State: the step count, per leaf either the factored statistics (R and C)
/// or a full second moment, and optax's momentum when used.
///
/// - Complexity: O(*n*) per step; memory O(rows + columns) per matrix.
/// - References: Shazeer and Stern, *Adafactor: Adaptive Learning Rates with
///   Sublinear Memory Cost*, ICML 2018.
public struct Adafactor<Params: Differentiable>: KernelRule {
  /// The scalar type of the parameters and statistics.
  public typealias Scalar = Params.TangentVector.Scalar

  /// Which reference's algorithm to reproduce.
  ///
  /// - Complexity: O(1).
  public enum Variant: String, Codable, Sendable, Hashable {
    /// `torch.optim.Adafactor`: relative step size min(η, 1/√t) times the
    /// parameter scale, update clipping, ε₁ as a floor.
    case pytorch
    /// `optax.adafactor`: ε₁ added to g′², absolute learning rate, optional
    /// momentum and weight decay added to the update.
    case optax
  }

  /// The learning rate η: the cap of the relative step size (`.pytorch`) or a
  /// plain factor (`.optax`); `nil` for no cap or factor. Default 0.01.
  public var learningRate: Double?
  /// The exponent of the second-moment schedule (0.8 in the paper): the new
  /// statistic's weight is t^(−decayRate); default 0.8.
  public var decayRate: Double
  /// Steps subtracted from t in optax's schedule (`.optax` only; steps before
  /// the offset use t = 1, where optax would produce NaN); default 0.
  public var decayOffset: Int
  /// ε₁ > 0: a floor for the variance estimate (`.pytorch`, default the scalar
  /// type's machine ε) or added to g′² (`.optax`, default 1e-30); `nil` for
  /// the variant's default. With `.pytorch` and `Float` parameters keep
  /// ε₁ ≥ 1e-19: a smaller ε₁² rounds to 0 and, as in PyTorch, an all-zero
  /// gradient row then gives 0 · ∞ = NaN.
  public var epsilon1: Double?
  /// ε₂ ≥ 0, the floor of the parameter scale RMS(p); default 1e-3.
  public var epsilon2: Double
  /// The update-clipping threshold d > 0, or `nil` for none; default 1.
  public var clippingThreshold: Double?
  /// Whether to scale steps by max(RMS(p), ε₂); default `true`.
  public var multiplyByParameterScale: Bool
  /// The first-moment decay β₁ ∈ [0, 1) of the update (`.optax` only), or
  /// `nil` for none; default `nil`.
  public var momentum: Double?
  /// The weight decay λ ≥ 0; default 0.
  public var weightDecay: Double
  /// Whether to factor the second moments of leaves of rank ≥ 2; default `true`.
  public var factored: Bool
  /// The smallest size both factored dimensions must have for a leaf to be
  /// factored; default 1 (every matrix, as PyTorch).
  public var minimumSizeToFactor: Int
  /// Which reference to follow; default ``Variant/pytorch``.
  public var variant: Variant

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0 or `nil`; default 0.01.
  ///   - decayRate: ≥ 0; default 0.8.
  ///   - decayOffset: ≥ 0, `.optax` only; default 0.
  ///   - epsilon1: ε₁ > 0 or `nil` for the variant's default; default `nil`.
  ///   - epsilon2: ε₂ ≥ 0; default 1e-3.
  ///   - clippingThreshold: d > 0 or `nil`; default 1.
  ///   - multiplyByParameterScale: Default `true`.
  ///   - momentum: β₁ ∈ [0, 1) or `nil`, `.optax` only; default `nil`.
  ///   - weightDecay: λ ≥ 0; default 0.
  ///   - factored: Default `true`.
  ///   - minimumSizeToFactor: ≥ 1; default 1.
  ///   - variant: Default `.pytorch`.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double? = 0.01, decayRate: Double = 0.8, decayOffset: Int = 0, epsilon1: Double? = nil,
    epsilon2: Double = 1e-3, clippingThreshold: Double? = 1, multiplyByParameterScale: Bool = true,
    momentum: Double? = nil, weightDecay: Double = 0, factored: Bool = true, minimumSizeToFactor: Int = 1,
    variant: Variant = .pytorch
  ) {
    self.learningRate = learningRate
    self.decayRate = decayRate
    self.decayOffset = decayOffset
    self.epsilon1 = epsilon1
    self.epsilon2 = epsilon2
    self.clippingThreshold = clippingThreshold
    self.multiplyByParameterScale = multiplyByParameterScale
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.factored = factored
    self.minimumSizeToFactor = minimumSizeToFactor
    self.variant = variant
    requireValidHyperparameters()
  }

  /// The second-moment statistics of one leaf.
  ///
  /// A factored leaf has `rows` (shape [batch, rows]) and `columns` (shape
  /// [batch, columns]) and an empty `full`; another leaf has `full`, shaped
  /// like the leaf, and empty `rows` and `columns`.
  ///
  /// - Complexity: Encoding is O(size).
  public struct Statistics: Codable, Sendable, Equatable {
    /// The running row statistics R, or empty.
    public var rows: Tensor<Scalar>
    /// The running column statistics C, or empty.
    public var columns: Tensor<Scalar>
    /// The full running second moment *v*, or empty.
    public var full: Tensor<Scalar>

    /// Creates statistics.
    ///
    /// - Parameters:
    ///   - rows: R, or an empty tensor.
    ///   - columns: C, or an empty tensor.
    ///   - full: *v*, or an empty tensor.
    /// - Complexity: O(1).
    @inlinable
    public init(rows: Tensor<Scalar>, columns: Tensor<Scalar>, full: Tensor<Scalar>) {
      self.rows = rows
      self.columns = columns
      self.full = full
    }

    /// Zero statistics for a leaf of this shape: R and C when it is factored,
    /// a full *v* otherwise.
    @inlinable init(zerosFor shape: [Int], _ plan: Factoring?) {
      let nothing = Tensor<Scalar>(shape: [0], scalars: [])
      (rows, columns, full) = (nothing, nothing, nothing)
      if let plan {
        (rows, columns) = (.zeros([plan.batches, plan.rows]), .zeros([plan.batches, plan.columns]))
      } else {
        full = .zeros(shape)
      }
    }
  }

  /// The step count, the statistics of every leaf, and optax's momentum.
  ///
  /// - Complexity: Encoding is O(size of the statistics).
  public struct State: BufferedState, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<Adafactor>()
    /// The number of updates applied so far.
    public var step: Int
    /// The second-moment statistics, one entry per parameter leaf.
    public var statistics: [Statistics]
    /// The momentum of the update (`.optax` with `momentum` set), or `nil`.
    public var momentum: Params.TangentVector?

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - statistics: One entry per leaf.
    ///   - momentum: The momentum buffer, or `nil`.
    /// - Complexity: O(1).
    @inlinable
    public init(step: Int, statistics: [Statistics], momentum: Params.TangentVector?) {
      self.step = step
      self.statistics = statistics
      self.momentum = momentum
    }

    /// Visits the momentum, when kept; the statistics are per-leaf state.
    @inlinable
    public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&momentum, "momentum")
    }
  }

  /// The factoring of a leaf of the given shape (the last two axes with
  /// `.pytorch`, the two largest with `.optax`), or `nil` for a full second moment.
  @inlinable
  func factoring(for shape: [Int]) -> Factoring? {
    Factoring.plan(for: shape, factored: factored, minimumSize: minimumSizeToFactor, largestAxes: variant == .optax)
  }

  /// The zero statistics for a leaf of the given shape.
  @inlinable
  func initialStatistics(for shape: [Int]) -> Statistics { Statistics(zerosFor: shape, factoring(for: shape)) }

  /// Step 0, zero statistics, and a zero momentum when `.optax` uses one.
  ///
  /// - Complexity: O(size of the statistics).
  @inlinable public func initialState(for params: Params) -> State {
    Self.initialState(for: params, factoring, momentum: keepsMomentum)
  }

  /// Step 0, zero statistics as `factoring` plans them, and a zero momentum if asked.
  @inlinable
  static func initialState(for params: Params, _ factoring: ([Int]) -> Factoring?, momentum: Bool) -> State {
    let statistics = params.parameterLeafShapes.map { Statistics(zerosFor: $0, factoring($0)) }
    return State(step: 0, statistics: statistics, momentum: momentum ? params.zeroTangentVector : nil)
  }

  /// Whether the configuration keeps optax's momentum.
  @inlinable var keepsMomentum: Bool { variant == .optax && momentum != nil }

  /// Creates or drops the momentum as the configuration needs, then steps.
  ///
  /// - Precondition: The state was made for parameters of these shapes and this
  ///   configuration (`factored`, `minimumSizeToFactor`, `variant`).
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    Self.keepMomentum(keepsMomentum, in: &state, for: params)
    runStep(&state, &params, gradient, preprocessing: map)
  }

  /// Creates a zero momentum when the configuration keeps one and the state
  /// has none; drops it when the configuration keeps none.
  @inlinable
  static func keepMomentum(_ keeps: Bool, in state: inout State, for params: Params) {
    if !keeps {
      state.momentum = nil
    } else if state.momentum == nil {
      state.momentum = params.zeroTangentVector
    }
  }

  /// One Adafactor step, leaf by leaf: the chosen reference's algorithm over
  /// the whole leaf and its statistics (`.optax` runs ``OptaxAdafactor``'s).
  ///
  /// - Complexity: O(*n*), two to four passes per leaf.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let optax = variant == .optax ? OptaxAdafactor<Params>(self) : nil
    Self.forEachLeaf(walk, factoring) { p, g, map, plan, rows, columns, full, m in
      if let optax {
        optax.leafStep(p, g, map, plan, rows, columns, full, m, step: t)
      } else {
        pytorchStep(p, g, map, plan, rows, columns, full, step: t)
      }
    }
  }

  /// Runs `body` over every whole leaf with its factoring, its statistics'
  /// buffers and optax's momentum when kept; both algorithms step this way.
  @inlinable
  static func forEachLeaf<Map: GradientMap>(
    _ walk: Walk<Params, State, Map>, _ factoring: ([Int]) -> Factoring?,
    _ body: (
      UnsafeMutableBufferPointer<Scalar>, UnsafeBufferPointer<Scalar>, Map, Factoring?, UnsafeMutableBufferPointer<Scalar>,
      UnsafeMutableBufferPointer<Scalar>, UnsafeMutableBufferPointer<Scalar>, UnsafeMutableBufferPointer<Scalar>?
    ) -> Void
  ) {
    walk.wholeLeaves(\.statistics) { b, statistics in
      let shape = walk.shape(ofLeaf: b.leaf)
      let plan = factoring(shape), expected = Statistics(zerosFor: shape, plan)
      precondition(
        statistics.rows.shape == expected.rows.shape && statistics.columns.shape == expected.columns.shape
          && statistics.full.shape == expected.full.shape,
        "Adafactor statistics for leaf \(b.leaf) do not fit its shape \(shape) and this configuration")
      let p = UnsafeMutableBufferPointer(start: b.p, count: b.count)
      let g = UnsafeBufferPointer(start: b.rawGradient, count: b.count)
      let m = b.has(0) ? UnsafeMutableBufferPointer(start: b[0], count: b.count) : nil
      statistics.rows.withUnsafeMutableBufferPointer { rows in
        statistics.columns.withUnsafeMutableBufferPointer { columns in
          statistics.full.withUnsafeMutableBufferPointer { full in body(p, g, b.map, plan, rows, columns, full, m) }
        }
      }
    }
  }

  /// a + w(b − a), evaluated as `torch.lerp` does (from the nearer end).
  @inlinable
  static func lerp<S: ParameterScalar>(_ a: S, _ b: S, _ w: S) -> S {
    w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w)
  }

  /// Checks the step count, the statistics' shapes for every leaf and the
  /// momentum when the configuration uses one.
  ///
  /// - Complexity: O(leaves).
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try Self.validate(state, for: params, expecting: initialStatistics(for:))
  }

  /// Checks the step count, the momentum, and every leaf's statistics against
  /// the zero statistics `expected` gives for its shape.
  static func validate(
    _ state: State, for params: Params, expecting expected: ([Int]) -> Statistics
  ) throws(OptimiserError) {
    try state.validate(for: params)
    let leaves = params.parameterLeafCount
    guard state.statistics.count == leaves else {
      throw .leafCountMismatch(buffer: "statistics", expected: leaves, found: state.statistics.count)
    }
    for leaf in 0..<leaves {
      let want = expected(params.parameterLeafShape(at: leaf)), found = state.statistics[leaf]
      for (buffer, want, have) in [
        ("statistics.rows", want.rows.shape, found.rows.shape),
        ("statistics.columns", want.columns.shape, found.columns.shape),
        ("statistics.full", want.full.shape, found.full.shape),
      ] where want != have {
        throw .shapeMismatch(buffer: buffer, leaf: params.parameterLeafName(at: leaf), expected: want, found: have)
      }
    }
  }

  /// Checks η ≥ 0 when set, `decayRate` ≥ 0, `decayOffset` ≥ 0 (0 with
  /// `.pytorch`), ε₁ > 0 when set, ε₂ ≥ 0, d > 0 when set, β₁ ∈ [0, 1) when set
  /// (unset with `.pytorch`), λ ≥ 0 and `minimumSizeToFactor` ≥ 1.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.nonNegative(decayRate, "decayRate")
    h.require(
      decayOffset >= 0 && (variant == .optax || decayOffset == 0), "decayOffset", Double(decayOffset),
      "≥ 0, and 0 with .pytorch")
    h.positive(epsilon1, "epsilon1"); h.nonNegative(epsilon2, "epsilon2")
    h.positive(clippingThreshold, "clippingThreshold")
    h.require(momentum == nil || variant == .optax, "momentum", momentum ?? 0, "nil with .pytorch (optax only)")
    h.declare(momentum, "momentum", .unitInterval); h.nonNegative(weightDecay, "weightDecay")
    h.require(minimumSizeToFactor >= 1, "minimumSizeToFactor", Double(minimumSizeToFactor), "≥ 1")
  }
}
