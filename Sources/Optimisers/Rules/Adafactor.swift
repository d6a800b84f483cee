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
public struct Adafactor<Params: Differentiable>: Optimiser {
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

  /// How a leaf's elements map to its row and column statistics.
  ///
  /// The leaf's shape is viewed as [outer, low, middle, high, inner], where
  /// `low` and `high` are the two factored axes in storage order; the row axis
  /// is one of them and the column axis the other. The batch index of an
  /// element is its position with both factored axes removed.
  @usableFromInline
  struct Factoring: Sendable {
    @usableFromInline let outer: Int, low: Int, middle: Int, high: Int, inner: Int
    /// Whether the row axis is the lower of the two factored axes.
    @usableFromInline let rowIsLow: Bool

    @inlinable
    init(shape: [Int], rowAxis: Int, columnAxis: Int) {
      let lowAxis = Swift.min(rowAxis, columnAxis), highAxis = Swift.max(rowAxis, columnAxis)
      outer = shape[..<lowAxis].reduce(1, *)
      low = shape[lowAxis]
      middle = shape[(lowAxis + 1)..<highAxis].reduce(1, *)
      high = shape[highAxis]
      inner = shape[(highAxis + 1)...].reduce(1, *)
      rowIsLow = rowAxis == lowAxis
    }

    /// The number of batch positions.
    @inlinable var batches: Int { outer * middle * inner }
    /// The extent of the row axis.
    @inlinable var rows: Int { rowIsLow ? low : high }
    /// The extent of the column axis.
    @inlinable var columns: Int { rowIsLow ? high : low }

    /// Calls `body(element, rowStatistic, columnStatistic)` for every element,
    /// in storage order.
    @inlinable
    func forEach(_ body: (Int, Int, Int) -> Void) {
      var element = 0
      for o in 0..<outer {
        for x in 0..<low {
          for y in 0..<middle {
            for z in 0..<high {
              let batch = (o * middle + y) * inner
              let (r, c) = rowIsLow ? (x, z) : (z, x)
              for w in 0..<inner {
                body(element, (batch + w) * rows + r, (batch + w) * columns + c)
                element += 1
              }
            }
          }
        }
      }
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

  /// One leaf of `torch.optim.Adafactor`.
  @inlinable
  func pytorchStep<S: ParameterScalar, Map: GradientMap>(
    _ p: UnsafeMutableBufferPointer<S>, _ g: UnsafeBufferPointer<S>, _ map: Map, _ plan: Factoring?,
    _ rows: UnsafeMutableBufferPointer<S>, _ columns: UnsafeMutableBufferPointer<S>,
    _ full: UnsafeMutableBufferPointer<S>, step: Int
  ) {
    let t = Double(step), count = p.count
    let floor = S(epsilon1 ?? Double(S.ulpOfOne))
    let floorSquared = S((epsilon1 ?? Double(S.ulpOfOne)) * (epsilon1 ?? Double(S.ulpOfOne)))
    let weight = S(power(t, -decayRate))
    let relativeStep = Swift.min(learningRate ?? .infinity, 1 / t.squareRoot())
    var scale = 1.0
    if multiplyByParameterScale {
      var squares: S = 0
      for i in 0..<count { squares += p[i] * p[i] }
      scale = Swift.max(epsilon2, Double(S.squareRoot(of: squares)) / Double(count).squareRoot())
    }
    let alpha = scale * relativeStep
    let shrink = S(1 - (learningRate ?? 1) * weightDecay)
    var updateSquares: S = 0
    var normalisers: [S] = []
    if let plan {
      let sums = factoredSums(p, g, map, plan, offset: 0)
      for r in 0..<rows.count {
        let norm = S.squareRoot(of: sums.rows[r])
        rows[r] = Self.lerp(rows[r], norm * norm / S(plan.columns), weight)
      }
      for c in 0..<columns.count {
        let norm = S.squareRoot(of: sums.columns[c])
        columns[c] = Self.lerp(columns[c], norm * norm / S(plan.rows), weight)
      }
      normalisers = rowMeans(rows, plan).map { Swift.max($0, floor) }
      plan.forEach { i, r, c in
        let gi = map.apply(g[i], parameter: p[i])
        let estimate = rows[r] * columns[c] / normalisers[r / plan.rows]
        let u = 1 / S.squareRoot(of: Swift.max(estimate, floorSquared)) * gi
        updateSquares += u * u
      }
    } else {
      for i in 0..<count {
        let gi = map.apply(g[i], parameter: p[i])
        full[i] = Self.lerp(full[i], gi * gi, weight)
        let u = 1 / S.squareRoot(of: Swift.max(full[i], floorSquared)) * gi
        updateSquares += u * u
      }
    }
    var denominator = 1.0
    if let clippingThreshold {
      denominator = Swift.max(1, Double(S.squareRoot(of: updateSquares)) / (Double(count).squareRoot() * clippingThreshold))
    }
    let coefficient = S(-alpha / denominator)
    if let plan {
      plan.forEach { i, r, c in
        let gi = map.apply(g[i], parameter: p[i])
        let estimate = rows[r] * columns[c] / normalisers[r / plan.rows]
        let u = 1 / S.squareRoot(of: Swift.max(estimate, floorSquared)) * gi
        p[i] = p[i] * shrink + coefficient * u
      }
    } else {
      for i in 0..<count {
        let gi = map.apply(g[i], parameter: p[i])
        let u = 1 / S.squareRoot(of: Swift.max(full[i], floorSquared)) * gi
        p[i] = p[i] * shrink + coefficient * u
      }
    }
  }

  /// One leaf of `optax.adafactor`.
  @inlinable
  func optaxStep<S: ParameterScalar, Map: GradientMap>(
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
    let offset = S(epsilon1 ?? 1e-30)
    var rowFactors: [S] = [], columnFactors: [S] = []
    if let plan {
      let sums = factoredSums(p, g, map, plan, offset: offset)
      for r in 0..<rows.count { rows[r] = keep * rows[r] + mix * (sums.rows[r] / S(plan.columns)) }
      for c in 0..<columns.count { columns[c] = keep * columns[c] + mix * (sums.columns[c] / S(plan.rows)) }
      let means = rowMeans(rows, plan)
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
  public func validateHyperparameters() throws(OptimiserError) {
    if let learningRate { try Hyperparameter.nonNegative(learningRate, "learningRate", in: "Adafactor") }
    try Hyperparameter.nonNegative(decayRate, "decayRate", in: "Adafactor")
    guard decayOffset >= 0, variant == .optax || decayOffset == 0 else {
      throw .invalidHyperparameter(
        rule: "Adafactor", name: "decayOffset", value: Double(decayOffset), requirement: "≥ 0, and 0 with .pytorch")
    }
    if let epsilon1 { try Hyperparameter.positive(epsilon1, "epsilon1", in: "Adafactor") }
    try Hyperparameter.nonNegative(epsilon2, "epsilon2", in: "Adafactor")
    if let clippingThreshold { try Hyperparameter.positive(clippingThreshold, "clippingThreshold", in: "Adafactor") }
    if let momentum {
      guard variant == .optax else {
        throw .invalidHyperparameter(
          rule: "Adafactor", name: "momentum", value: momentum, requirement: "nil with .pytorch (optax only)")
      }
      try Hyperparameter.unitInterval(momentum, "momentum", in: "Adafactor")
    }
    try Hyperparameter.nonNegative(weightDecay, "weightDecay", in: "Adafactor")
    guard minimumSizeToFactor >= 1 else {
      throw .invalidHyperparameter(
        rule: "Adafactor", name: "minimumSizeToFactor", value: Double(minimumSizeToFactor), requirement: "≥ 1")
    }
  }
}
