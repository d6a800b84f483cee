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
  @usableFromInline let hasRoot: Bool

  /// The coefficients of step `t` (counted from 1); `learningRate` is needed
  /// only by ``optaxStep(_:_:)``.
  @inlinable
  init(beta1: Double, beta2: Double, epsilon: Double, epsilonRoot: Double, step t: Int, learningRate: Double = 0) {
    let c2 = 1 - power(beta2, Double(t))
    (mix1, keep1, keep2, mix2) = (S(1 - beta1), S(beta1), S(beta2), S(1 - beta2))
    (correction1, rate) = (S(1 - power(beta1, Double(t))), S(learningRate))
    (correction2, correction2Root) = (S(c2), S(Double.squareRoot(of: c2)))
    (self.epsilon, self.epsilonRoot, hasRoot) = (S(epsilon), S(epsilonRoot), epsilonRoot != 0)
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

  /// d in PyTorch's order, √v / √(1 − β₂ᵗ) + ε, when ε_root = 0; otherwise
  /// optax's √(v / (1 − β₂ᵗ) + ε_root) + ε.
  @inlinable @inline(__always)
  func denominator(_ v: S) -> S {
    hasRoot ? correctedDenominator(v) : S.squareRoot(of: v) / correction2Root + epsilon
  }

  /// d in optax's order: √(v / (1 − β₂ᵗ) + ε_root) + ε.
  @inlinable @inline(__always)
  func correctedDenominator(_ v: S) -> S { S.squareRoot(of: v / correction2 + epsilonRoot) + epsilon }
}

/// Where ε_root goes in the denominator, chosen once per step: a loop over a
/// fixed form carries no branch (a branch on ``AdamArithmetic/hasRoot`` inside
/// the loop becomes a select that computes both forms, two square roots and
/// two divisions per element).
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
