/// SOAP: Adam run in the eigenbasis of Shampoo's preconditioner.
///
/// For a leaf with axes d₀, …, d₍ₖ₋₁₎ (a matrix: L = Σ G Gᵀ on the rows,
/// R = Σ Gᵀ G on the columns), each axis i of size dᵢ ≤ `maximumPreconditionDimension`
/// keeps a Kronecker factor Fᵢ and an orthogonal basis Qᵢ; a larger axis, and
/// a vector's single axis unless `preconditionVectors`, keeps neither (an
/// identity basis), so scalars and, by default, biases get plain Adam. With
/// g′ = map(g), rot(x) = x ×₀ Q₀ᵀ ×₁ Q₁ᵀ ⋯ and rot⁻¹ its inverse:
///
///     t = 1:   Fᵢ ← (1 − β_s) G′₍ᵢ₎ G′₍ᵢ₎ᵀ;  Qᵢ = eigenvectors of Fᵢ + 10⁻³⁰ I,
///              by descending eigenvalue; p unchanged (the first step only
///              gathers statistics, so the gradient never rotates itself)
///     t ≥ 2, s = t − 1:
///       m ← m + (1 − β₁)(g′ − m)                       (in the parameters' basis)
///       v ← v + (1 − β₂)(rot(g′)² − v)                 (in the eigenbasis)
///       u = rot⁻¹(rot(m) / (√v + ε))
///       u ← u / (√mean(u²) + ε)                        (if `normaliseUpdate`)
///       p ← p − η′ u,   η′ = η √(1 − β₂ˢ) / (1 − β₁ˢ)  (η′ = η without `biasCorrection`)
///       p ← p (1 − η λ)
///       Fᵢ ← Fᵢ + (1 − β_s)(G′₍ᵢ₎ G′₍ᵢ₎ᵀ − Fᵢ)
///       every `preconditionFrequency` steps (s mod f = 0): one power iteration
///       and a QR step, Qᵢ ← qr((Fᵢ Qᵢ)[:, π]).Q, with π sorting the columns by
///       the estimates qⱼᵀ Fᵢ qⱼ, largest first, and v's axis i permuted by π.
///
/// G′₍ᵢ₎ is g′ unfolded along axis i; β_s = `shampooBeta`, or β₂ when `nil`.
///
/// This is `pytorch_optimizer.SOAP(params, lr=η, betas=(β₁, β₂),
/// shampoo_beta=β_s, weight_decay=λ, precondition_frequency=f,
/// max_precondition_dim=, precondition_1d=, correct_bias=,
/// normalize_gradient=, eps=ε)` (pytorch-optimizer 4.1) with its defaults,
/// whose QR runs in float32 whatever the parameters' type; here every
/// decomposition runs in the parameters' scalar type (``SymmetricEigen``,
/// ``HouseholderQR``). Its `merge_dims` and `channels_last` options are not
/// offered. The authors' code (github.com/nikhilvyas/SOAP) differs: its current
/// version debiases β₁, β₂ and β_s per step instead of correcting the step
/// size, applies weight decay before the update, takes max(√v, ε), normalises
/// with 10⁻³⁰ in place of ε and has a warm-up; it is not reproduced.
///
/// Eigenvectors are defined up to sign and, for a repeated eigenvalue, up to a
/// rotation within its eigenspace. The update is unchanged by a column's sign;
/// a repeated eigenvalue (a factor of rank below its size minus one, as for an
/// m × n gradient with m ≥ n + 2 at t = 1) leaves the basis, and so the
/// trajectory, implementation-defined here as in the reference.
///
/// State: the step count, *m* and *v* (two buffers per parameter) and per leaf
/// the factors and bases (``Preconditioner``): 2 Σᵢ dᵢ² scalars.
///
/// - Complexity: per step O(n Σᵢ dᵢ) for the rotations and factors of a leaf of
///   n elements; every f steps O(Σᵢ dᵢ³) for the power iteration and QR; once,
///   O(Σᵢ dᵢ³) for the eigendecompositions (tridiagonal QL, ``SymmetricEigen``).
/// - References: Vyas et al., *SOAP: Improving and Stabilizing Shampoo using
///   Adam*, 2024; Gupta et al., *Shampoo: Preconditioned Stochastic Tensor
///   Optimization*, 2018.
public struct SOAP<Params: Differentiable>: KernelRule {
  /// The learning rate η ≥ 0 (0.003), the first-moment decay β₁ ∈ [0, 1)
  /// (0.95), the second-moment decay β₂ ∈ [0, 1) (0.95), the decoupled weight
  /// decay λ ≥ 0 (0.01, multiplied by η) and the guard ε ≥ 0 added to √v (1e-8).
  public var learningRate, beta1, beta2, weightDecay, epsilon: Double
  /// The factors' decay β_s ∈ [0, 1), or `nil` for β₂; default `nil`.
  public var shampooBeta: Double?
  /// Steps between basis refreshes, f ≥ 1; default 10.
  public var preconditionFrequency: Int
  /// The largest axis given a factor and a basis, ≥ 1; default 10000.
  public var maximumPreconditionDimension: Int
  /// Whether vectors (rank-1 leaves) are preconditioned too; default `false`.
  public var preconditionVectors: Bool
  /// Whether the step size is bias-corrected; default `true`.
  public var biasCorrection: Bool
  /// Whether the update is divided by its RMS (plus ε); default `false`.
  public var normaliseUpdate: Bool

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 3e-3, beta1: Double = 0.95, beta2: Double = 0.95, shampooBeta: Double? = nil,
    weightDecay: Double = 0.01, preconditionFrequency: Int = 10, maximumPreconditionDimension: Int = 10000,
    preconditionVectors: Bool = false, biasCorrection: Bool = true, normaliseUpdate: Bool = false,
    epsilon: Double = 1e-8
  ) {
    (self.learningRate, self.beta1, self.beta2, self.shampooBeta) = (learningRate, beta1, beta2, shampooBeta)
    (self.weightDecay, self.preconditionFrequency) = (weightDecay, preconditionFrequency)
    (self.maximumPreconditionDimension, self.preconditionVectors) = (maximumPreconditionDimension, preconditionVectors)
    (self.biasCorrection, self.normaliseUpdate, self.epsilon) = (biasCorrection, normaliseUpdate, epsilon)
    requireValidHyperparameters()
  }

  /// η ≥ 0, β₁, β₂, β_s ∈ [0, 1), λ ≥ 0, ε ≥ 0, f ≥ 1, maximum dimension ≥ 1.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.declare(shampooBeta, "shampooBeta", .unitInterval); h.nonNegative(weightDecay, "weightDecay")
    h.nonNegative(epsilon, "epsilon")
    h.require(preconditionFrequency >= 1, "preconditionFrequency", Double(preconditionFrequency), "at least 1")
    h.require(
      maximumPreconditionDimension >= 1, "maximumPreconditionDimension", Double(maximumPreconditionDimension),
      "at least 1")
  }

  /// The step count, the moments and every leaf's preconditioner.
  public struct State: BufferedState, Equatable {
    var rule = RuleTag<SOAP>()
    /// The number of updates applied so far (the first only gathers statistics).
    public var step: Int
    /// The first moment *m*, in the parameters' basis.
    public var firstMoment: Params.TangentVector
    /// The second moment *v*, in the eigenbasis.
    public var secondMoment: Params.TangentVector
    /// One preconditioner per leaf, in leaf order.
    public var preconditioners: [Preconditioner]

    /// A state from its parts.
    @inlinable public init(
      step: Int, firstMoment: Params.TangentVector, secondMoment: Params.TangentVector, preconditioners: [Preconditioner]
    ) {
      (self.step, self.firstMoment, self.secondMoment, self.preconditioners) = (step, firstMoment, secondMoment, preconditioners)
    }

    /// Visits *m* and *v*; the preconditioners are per-leaf state.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&firstMoment, "firstMoment")
      visitor.visit(&secondMoment, "secondMoment")
    }
  }

  /// Whether an axis of size `size` in a leaf of rank `rank` gets a factor and a basis.
  @inlinable func preconditions(_ size: Int, rank: Int) -> Bool {
    (rank >= 2 || preconditionVectors) && size <= maximumPreconditionDimension
  }

  /// Step 0, zero moments, zero factors and no bases yet.
  @inlinable public func initialState(for params: Params) -> State {
    State(
      step: 0, firstMoment: params.zeroTangentVector, secondMoment: params.zeroTangentVector,
      preconditioners: params.parameterLeafShapes.map { Preconditioner(zerosFor: $0, preconditions) })
  }

  /// Checks the step count, the moments' shapes and every leaf's factors and
  /// bases against its shape and this configuration.
  ///
  /// - Throws: ``OptimiserError`` naming the buffer, or the leaf whose
  ///   preconditioner does not fit.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try state.validate(for: params)
    guard state.preconditioners.count == params.parameterLeafCount else {
      throw .leafCountMismatch(
        buffer: "preconditioners", expected: params.parameterLeafCount, found: state.preconditioners.count)
    }
    for (leaf, entry) in state.preconditioners.enumerated() {
      let shape = params.parameterLeafShape(at: leaf)
      if let problem = entry.mismatch(shape, preconditions, started: state.step > 0) {
        throw .invalidState("SOAP preconditioner of '\(params.parameterLeafName(at: leaf))' (shape \(shape)): \(problem)")
      }
    }
  }

  /// Step `t`: statistics only at t = 1, then Adam in the eigenbasis, leaf by leaf.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let s = t - 1
    let mix1 = Scalar(1 - beta1), mix2 = Scalar(1 - beta2), mixS = Scalar(1 - (shampooBeta ?? beta2))
    let eps = Scalar(epsilon), shrink = Scalar(1 - weightDecay * learningRate)
    var size = learningRate
    if biasCorrection && s > 0 {
      size *= Double.squareRoot(of: 1 - power(beta2, Double(s))) / (1 - power(beta1, Double(s)))
    }
    let alpha = Scalar(-size), refresh = s > 0 && s % preconditionFrequency == 0
    walk.wholeLeaves(\.preconditioners) { b, entry in
      let shape = walk.shape(ofLeaf: b.leaf), n = b.count
      let work = UnsafeMutablePointer<Scalar>.allocate(capacity: 3 * n)
      defer { work.deallocate() }
      let g = work, u = work + n, scratch = work + 2 * n
      for i in b.indices { g[i] = b.gradient(i) }
      if t > 1 {
        let m = b[0], v = b[1]
        u.update(from: g, count: n)
        KroneckerProjection.rotate(u, shape: shape, bases: entry.bases, backward: false, scratch: scratch)
        for i in b.indices {
          m[i] = Adafactor<Params>.lerp(m[i], g[i], mix1)
          v[i] = Adafactor<Params>.lerp(v[i], u[i] * u[i], mix2)
        }
        u.update(from: m, count: n)
        KroneckerProjection.rotate(u, shape: shape, bases: entry.bases, backward: false, scratch: scratch)
        for i in b.indices { u[i] = u[i] / (Scalar.squareRoot(of: v[i]) + eps) }
        KroneckerProjection.rotate(u, shape: shape, bases: entry.bases, backward: true, scratch: scratch)
        if normaliseUpdate {
          var squares: Scalar = 0
          for i in b.indices { squares += u[i] * u[i] }
          let divisor = Scalar.squareRoot(of: squares / Scalar(n)) + eps
          for i in b.indices { u[i] = u[i] / divisor }
        }
        for i in b.indices { b.p[i] = b.p[i] + alpha * u[i] }
        if weightDecay != 0 { for i in b.indices { b.p[i] = b.p[i] * shrink } }
      }
      entry.accumulate(g, shape: shape, weight: mixS)
      if t == 1 {
        entry.startBases()
      } else if refresh {
        entry.refreshBases(secondMoment: b[1], shape: shape, scratch: scratch)
      }
    }
  }
}
