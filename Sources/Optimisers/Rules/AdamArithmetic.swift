/// The per-element arithmetic the Adam family shares, with its coefficients
/// computed once per step:
///
///     m ← m + (1 − β₁)(g′ − m)            (= β₁m + (1 − β₁)g′)
///     v ← β₂ v + (1 − β₂) g′²
///     d = √(v / (1 − β₂ᵗ) + ε_root) + ε
///
/// ``Adam``, ``AdamW``, ``AMSGrad``, ``NAdam`` and ``RAdam`` update their
/// moments through ``moments(_:_:_:)`` and divide by ``denominator(_:)`` or
/// ``correctedDenominator(_:)``; ``AdaBelief`` and ``Yogi`` take optax's order
/// (``optaxFirstMoment(_:_:_:)``, ``optaxStep(_:_:)``), so each rule's file
/// holds only what is its own.
@usableFromInline
struct AdamArithmetic<S: ParameterScalar>: Sendable {
  @usableFromInline let mix1, keep1, keep2, mix2, correction1, correction2, correction2Root, epsilon, epsilonRoot, rate: S
  /// PyTorch's step size η / (1 − β₁ᵗ), rounded once from double precision.
  @usableFromInline let stepSize: S
  /// torch's `weight_decay=λ` as the coefficient added to the gradient and the
  /// factor on p: (λ, 1) coupled, (0, 1 − ηλ) decoupled (AdamW,
  /// `decoupled_weight_decay=True`); multiplying by 1 leaves p exact.
  @usableFromInline var l2: S = 0, shrink: S = 1
  /// ``denominator(_:)``'s divisors of *v* inside the root and of the root.
  @usableFromInline let inner, outer: S
  /// Whether ε_root > 0 (decided in `Double`): optax's denominator then, PyTorch's otherwise.
  @usableFromInline let rootInside: Bool

  /// The coefficients of step `t` (counted from 1) at the learning rate η.
  @inlinable
  init(beta1: Double, beta2: Double, epsilon: Double, epsilonRoot: Double, step t: Int, learningRate: Double = 0) {
    let c2 = 1 - power(beta2, Double(t))
    (mix1, keep1, keep2, mix2) = (S(1 - beta1), S(beta1), S(beta2), S(1 - beta2))
    (correction1, rate) = (S(1 - power(beta1, Double(t))), S(learningRate))
    stepSize = S(learningRate / (1 - power(beta1, Double(t))))
    (correction2, correction2Root) = (S(c2), S(Double.squareRoot(of: c2)))
    (self.epsilon, self.epsilonRoot) = (S(epsilon), S(epsilonRoot))
    (inner, outer) = epsilonRoot == 0 ? (1, correction2Root) : (correction2, 1)
    rootInside = epsilonRoot != 0
  }

  /// The coefficients of `rule`'s step `t` at the learning rate η, weight decay included.
  @inlinable
  init(_ rule: some AdamHyperparameters, step t: Int, learningRate: Double) {
    self.init(beta1: rule.beta1, beta2: rule.beta2, epsilon: rule.epsilon, epsilonRoot: rule.epsilonRoot, step: t,
      learningRate: learningRate)
    let lambda = rule.weightDecay
    (l2, shrink) = rule.decoupledWeightDecay ? (0, S(1 - learningRate * lambda)) : (S(lambda), 1)
  }

  /// Updates `m` and `v` with the gradient `g` and returns their new values.
  @inlinable @inline(__always) @discardableResult
  func moments(_ g: S, _ m: inout S, _ v: inout S) -> (m: S, v: S) {
    (m, v) = (m + mix1 * (g - m), keep2 * v + mix2 * g * g)
    return (m, v)
  }

  /// m ← (1 − β₁)g + β₁m in optax's order (AdaBelief, Yogi); returns the new *m*.
  @inlinable @inline(__always)
  func optaxFirstMoment(_ g: S, _ m: UnsafeMutablePointer<S>, _ i: Int) -> S {
    let mi = mix1 * g + keep1 * m[i]
    m[i] = mi
    return mi
  }

  /// optax's bias-corrected Adam step η · (m / (1 − β₁ᵗ)) / d, d from
  /// ``correctedDenominator(_:)``.
  @inlinable @inline(__always)
  func optaxStep(_ m: S, _ v: S) -> S { rate * ((m / correction1) / correctedDenominator(v)) }

  /// d = √(v / a + ε_root) / b + ε, one branch-free form with the bits of both
  /// references: PyTorch's √v / √(1 − β₂ᵗ) + ε when ε_root = 0 (a = 1,
  /// b = √(1 − β₂ᵗ); v / 1 and + 0 are exact), optax's √(v / (1 − β₂ᵗ) + ε_root) + ε
  /// otherwise (a = 1 − β₂ᵗ, b = 1). One division more than either form; a
  /// branch inside the loop would stop it vectorising.
  @inlinable @inline(__always)
  func denominator(_ v: S) -> S { S.squareRoot(of: v / inner + epsilonRoot) / outer + epsilon }

  /// d in optax's order: √(v / (1 − β₂ᵗ) + ε_root) + ε.
  @inlinable @inline(__always)
  func correctedDenominator(_ v: S) -> S { S.squareRoot(of: v / correction2 + epsilonRoot) + epsilon }
}

/// The hyperparameters the Adam family's arithmetic reads.
@usableFromInline
protocol AdamHyperparameters {
  var beta1: Double { get }
  var beta2: Double { get }
  var epsilon: Double { get }
  var epsilonRoot: Double { get }
  var weightDecay: Double { get }
  var decoupledWeightDecay: Bool { get }
}

extension Adam: AdamHyperparameters, AdamElementUpdate {}

/// A rule whose update of one element has Adam's shape: p, the mapped
/// gradient g′, m and v, with either denominator form.
@usableFromInline
protocol AdamElementUpdate {
  static func update<S: ParameterScalar, D: AdamDenominator>(
    _ p: inout S, _ g: S, _ m: inout S, _ v: inout S, _ a: AdamArithmetic<S>, _ form: D.Type)
}

extension AdamArithmetic {
  /// Runs `Rule.update` over every element of `walk`, whose first two buffers
  /// are *m* and *v*, after the decoupled shrink p ← p · (1 − ηλ) when there is
  /// one: one loop per denominator form (a shared form costs a third division
  /// per element) and per weight-decay form (``Block/forEachGradient(weightDecay:shrink:_:)``),
  /// so no loop carries another configuration's arithmetic.
  @inlinable
  func run<Rule: AdamElementUpdate, P, State, Map>(_ rule: Rule.Type, _ walk: Walk<P, State, Map>)
  where P.TangentVector.Scalar == S {
    func loop<D: AdamDenominator>(_ form: D.Type) {
      walk { b in
        let (m, v) = (b[0], b[1])  // once per block: a load inside the loop would keep it scalar
        b.forEachGradient(weightDecay: l2, shrink: shrink) { i, g in Rule.update(&b.p[i], g, &m[i], &v[i], self, form) }
      }
    }
    rootInside ? loop(RootDenominator.self) : loop(TorchDenominator.self)
  }
}

/// Where ε_root goes in Adam's denominator, chosen once per step, so that each
/// loop divides twice per element (the branch-free
/// ``AdamArithmetic/denominator(_:)`` divides three times, which showed on one
/// thread: 1.35–1.39× a roofline loop against 1.11–1.22×).
@usableFromInline
protocol AdamDenominator: SendableMetatype {
  static func of<S: ParameterScalar>(_ v: S, _ a: AdamArithmetic<S>) -> S
}

/// PyTorch's √v / √(1 − β₂ᵗ) + ε (no ε_root).
@usableFromInline
enum TorchDenominator: AdamDenominator {
  @inlinable static func of<S: ParameterScalar>(_ v: S, _ a: AdamArithmetic<S>) -> S {
    S.squareRoot(of: v) / a.correction2Root + a.epsilon
  }
}

/// optax's √(v / (1 − β₂ᵗ) + ε_root) + ε.
@usableFromInline
enum RootDenominator: AdamDenominator {
  @inlinable static func of<S: ParameterScalar>(_ v: S, _ a: AdamArithmetic<S>) -> S { a.correctedDenominator(v) }
}
