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
/// ``Variant/optax``, with ε₁ = `epsilon1` (1e-30 when `nil`, the paper's) and
/// β̂ₜ = 1 − (t − offset)^(−decayRate) computed in single precision as optax does:
///
///     R ← β̂ₜ R + (1 − β̂ₜ) mean_col(g′² + ε₁),  C likewise (the two largest axes)
///     u = g′ · (R / mean(R))^(−½) · C^(−½)      (g′ · v^(−½) when unfactored)
///     u ← u / max(1, RMS(u) / d)                (when d = `clippingThreshold` is set)
///     u ← η u                                   (when η is set)
///     u ← max(RMS(p), ε₂) · u                   (`multiplyByParameterScale`)
///     m ← (1 − β₁) u + β₁ m;  u ← m             (when β₁ = `momentum` is set)
///     p ← p − (u + λ p)
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
/// is walked two to four times. The leaves are walked by the rule itself rather
/// than ``LeafWalk``, because the factored statistics are not shaped like the
/// parameters.
///
/// State: the step count, per leaf either the factored statistics (R and C)
/// or a full second moment, and optax's momentum when used.
///
/// - Complexity: O(*n*) per step; memory O(rows + columns) per matrix.
/// - References: Shazeer and Stern, *Adafactor: Adaptive Learning Rates with
///   Sublinear Memory Cost*, ICML 2018.
public struct Adafactor<Params: Differentiable>: Optimiser, HyperparameterDeclaring {
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

    /// Three empty tensors.
    @inlinable static var empty: Statistics {
      let nothing = Tensor<Scalar>(shape: [0], scalars: [])
      return Statistics(rows: nothing, columns: nothing, full: nothing)
    }
  }

  /// The step count, the statistics of every leaf, and optax's momentum.
  ///
  /// - Complexity: Encoding is O(size of the statistics).
  public struct State: Codable, Sendable, Equatable {
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
  }

  /// The factoring of a leaf of the given shape, or `nil` for a full second
  /// moment.
  @inlinable
  func factoring(for shape: [Int]) -> Factoring? {
    guard factored, shape.count >= 2 else { return nil }
    let rowAxis: Int, columnAxis: Int
    switch variant {
    case .pytorch:
      rowAxis = shape.count - 2
      columnAxis = shape.count - 1
    case .optax:
      // The two largest axes, ties broken by position (a stable sort).
      let order = shape.indices.sorted { shape[$0] < shape[$1] || (shape[$0] == shape[$1] && $0 < $1) }
      rowAxis = order[order.count - 2]
      columnAxis = order[order.count - 1]
    }
    guard Swift.min(shape[rowAxis], shape[columnAxis]) >= minimumSizeToFactor else { return nil }
    return Factoring(shape: shape, rowAxis: rowAxis, columnAxis: columnAxis)
  }

  /// The zero statistics for a leaf of the given shape.
  @inlinable
  func initialStatistics(for shape: [Int]) -> Statistics {
    var statistics = Statistics.empty
    if let plan = factoring(for: shape) {
      statistics.rows = .zeros([plan.batches, plan.rows])
      statistics.columns = .zeros([plan.batches, plan.columns])
    } else {
      statistics.full = .zeros(shape)
    }
    return statistics
  }

  /// Step 0, zero statistics, and a zero momentum when `.optax` uses one.
  ///
  /// - Complexity: O(size of the statistics).
  @inlinable public func initialState(for params: Params) -> State {
    let statistics = (0..<params.parameterLeafCount).map { initialStatistics(for: params.parameterLeafShape(at: $0)) }
    let usesMomentum = variant == .optax && momentum != nil
    return State(step: 0, statistics: statistics, momentum: usesMomentum ? params.zeroTangentVector : nil)
  }

  /// One Adafactor step, leaf by leaf.
  ///
  /// - Precondition: The state was made for parameters of these shapes and this
  ///   configuration (`factored`, `minimumSizeToFactor`, `variant`).
  /// - Complexity: O(*n*), two to four passes per leaf.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    requireValidHyperparameters()
    let gradient = LeafWalk.checkedGradient(params, gradient)
    let leaves = params.parameterLeafCount
    precondition(
      state.statistics.count == leaves,
      "Adafactor state has statistics for \(state.statistics.count) leaves, but the parameters have \(leaves)")
    state.step += 1
    let step = state.step
    var momentumBuffer: Params.TangentVector? = nil
    if variant == .optax, momentum != nil {
      momentumBuffer = state.momentum.take() ?? params.zeroTangentVector
      LeafWalk.checkBuffer(momentumBuffer!, leaves: leaves, name: "momentum")
    }
    for leaf in 0..<leaves {
      let shape = params.parameterLeafShape(at: leaf)
      let plan = factoring(for: shape)
      var statistics = state.statistics[leaf]
      state.statistics[leaf] = .empty  // so that the buffers below are uniquely referenced
      let expected = initialStatistics(for: shape)
      precondition(
        statistics.rows.shape == expected.rows.shape && statistics.columns.shape == expected.columns.shape
          && statistics.full.shape == expected.full.shape,
        "Adafactor statistics for leaf '\(params.parameterLeafName(at: leaf))' do not fit its shape \(shape) and this configuration")
      let leafMap = map.forLeaf(leaf)
      var rowStatistics = statistics.rows, columnStatistics = statistics.columns, fullStatistics = statistics.full
      statistics = .empty
      params.withMutableParameterLeaf(at: leaf) { p in
        gradient.withLeaf(at: leaf) { g in
          rowStatistics.withUnsafeMutableBufferPointer { rows in
            columnStatistics.withUnsafeMutableBufferPointer { columns in
              fullStatistics.withUnsafeMutableBufferPointer { full in
                switch variant {
                case .pytorch:
                  pytorchStep(p, g, leafMap, plan, rows, columns, full, step: step)
                case .optax:
                  if momentumBuffer != nil {
                    momentumBuffer!.withMutableLeaf(at: leaf) { m in
                      LeafWalk.checkCount(m.count, p.count, leaf: leaf, name: "momentum")
                      optaxStep(p, g, leafMap, plan, rows, columns, full, m, step: step)
                    }
                  } else {
                    optaxStep(p, g, leafMap, plan, rows, columns, full, nil, step: step)
                  }
                }
              }
            }
          }
        }
      }
      state.statistics[leaf] = Statistics(rows: rowStatistics, columns: columnStatistics, full: fullStatistics)
    }
    state.momentum = momentumBuffer
  }

  /// Sums the mapped squared gradient (plus `offset`) into per-row and
  /// per-column totals.
  @inlinable
  func factoredSums<S: ParameterScalar, Map: GradientMap>(
    _ p: UnsafeMutableBufferPointer<S>, _ g: UnsafeBufferPointer<S>, _ map: Map, _ plan: Factoring, offset: S
  ) -> (rows: [S], columns: [S]) {
    var rowSums = [S](repeating: 0, count: plan.batches * plan.rows)
    var columnSums = [S](repeating: 0, count: plan.batches * plan.columns)
    plan.forEach { i, r, c in
      let gi = map.apply(g[i], parameter: p[i])
      let square = gi * gi + offset
      rowSums[r] += square
      columnSums[c] += square
    }
    return (rowSums, columnSums)
  }

  /// The mean of the row statistics of each batch position.
  @inlinable
  func rowMeans<S: ParameterScalar>(_ rows: UnsafeMutableBufferPointer<S>, _ plan: Factoring) -> [S] {
    (0..<plan.batches).map { batch in
      var total: S = 0
      for r in 0..<plan.rows { total += rows[batch * plan.rows + r] }
      return total / S(plan.rows)
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
  @inlinable
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
    let leaves = params.parameterLeafCount
    guard state.statistics.count == leaves else {
      throw .leafCountMismatch(buffer: "statistics", expected: leaves, found: state.statistics.count)
    }
    for leaf in 0..<leaves {
      let expected = initialStatistics(for: params.parameterLeafShape(at: leaf))
      let found = state.statistics[leaf]
      let name = params.parameterLeafName(at: leaf)
      for (buffer, want, have) in [
        ("statistics.rows", expected.rows.shape, found.rows.shape),
        ("statistics.columns", expected.columns.shape, found.columns.shape),
        ("statistics.full", expected.full.shape, found.full.shape),
      ] where want != have {
        throw .shapeMismatch(buffer: buffer, leaf: name, expected: want, found: have)
      }
    }
    if let momentum = state.momentum { try LeafWalk.validate(momentum, named: "momentum", for: params) }
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
