/// The per-element arithmetic the Adam family shares, with its coefficients
/// computed once per step:
///
///     m ← m + (1 − β₁)(g′ − m)            (= β₁m + (1 − β₁)g′)
///     v ← β₂ v + (1 − β₂) g′²
///     d = √(v / (1 − β₂ᵗ) + ε_root) + ε
///
/// ``Adam``, ``AdamW``, ``AMSGrad``, ``NAdam`` and ``RAdam`` update their
/// moments through ``moments(_:_:_:_:)`` and divide by ``denominator(_:)`` or
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
  }

  /// The coefficients of `rule`'s step `t` at the learning rate η, weight decay included.
  @inlinable
  init(_ rule: some AdamHyperparameters, step t: Int, learningRate: Double) {
    self.init(beta1: rule.beta1, beta2: rule.beta2, epsilon: rule.epsilon, epsilonRoot: rule.epsilonRoot, step: t,
      learningRate: learningRate)
    let lambda = rule.weightDecay
    (l2, shrink) = rule.decoupledWeightDecay ? (0, S(1 - learningRate * lambda)) : (S(lambda), 1)
  }

  /// Updates `m[i]` and `v[i]` with the gradient `g` and returns their new values.
  @inlinable @inline(__always)
  func moments(_ g: S, _ m: UnsafeMutablePointer<S>, _ v: UnsafeMutablePointer<S>, _ i: Int) -> (m: S, v: S) {
    let mi = m[i] + mix1 * (g - m[i]), vi = keep2 * v[i] + mix2 * g * g
    (m[i], v[i]) = (mi, vi)
    return (mi, vi)
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

extension Adam: AdamHyperparameters {}

/// Where ε_root goes in Adam's denominator, chosen once per step: a loop over
/// one fixed form stays small enough for the compiler to keep the weight-decay
/// select out of it (the branch-free ``AdamArithmetic/denominator(_:)`` needs a third division
/// per element, which showed on one thread: 1.35–1.39× a roofline loop
/// against 1.11–1.22×).
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
