/// One Schedule-Free step's coefficients and its move of y and z, shared by
/// ``ScheduleFreeAdamW`` and ``ScheduleFreeSGD``, whose base direction *u*
/// (the normalised gradient plus weight decay) is all that differs.
///
/// With averaging weight cₜ, β the interpolation, η_z the rate of z's step and
/// ηₜ the scheduled rate:
///
///     .schedulefree:  y ← lerp(y, z, cₜ) + ηₜ(β(1 − cₜ) − 1)·u;  z ← z − ηₜ·u
///     .optax:         z′ = z − η_z·u;  x = (y − (1 − β)z)/β;
///                     x ← (1 − cₜ)x + cₜz′;  y ← βx + (1 − β)z′;  z ← z′
///
/// (η_z = ηₜ except during optax's warm-up; see ``ScheduleFreeVariant``.)
@usableFromInline
struct ScheduleFreeMove<S: ParameterScalar>: Sendable {
  @usableFromInline let variant: ScheduleFreeVariant
  @usableFromInline let averaging, keepX, yStep, zStep, beta, keepZ: S

  /// The coefficients of step t, read from a state whose averages already
  /// include step t.
  @inlinable
  init<P, R>(
    _ state: ScheduleFreeState<P, R>, step t: Int, learningRate: Double, warmupSteps: Int, beta: Double,
    stepPower: Double, weightPower: Double, variant: ScheduleFreeVariant
  ) {
    let c = state.averagingWeight(step: t, stepPower: stepPower, weightPower: weightPower)
    let rate = Self.scheduledRate(learningRate, warmupSteps: warmupSteps, step: t, variant: variant)
    let zRate = variant == .optax ? Self.scheduledRate(learningRate, warmupSteps: warmupSteps, step: t - 1, variant: variant) : rate
    self.variant = variant
    (averaging, keepX, yStep, zStep) = (S(c), S(1 - c), S(rate * (beta * (1 - c) - 1)), S(zRate))
    (self.beta, keepZ) = (S(beta), S(1 - beta))
  }

  /// ηₜ = η·min(1, t/W) during a warm-up of W > 0 steps, η otherwise,
  /// rounded as each reference rounds it: η·(t/W) (`schedulefree`), and for
  /// optax its `warmup_constant_schedule`, which computes in `Float` even with
  /// 64-bit floats enabled (the int32 count divided by W is a float32): under
  /// `jit` XLA forms 1 − t/W as fma(−t, 1/W, 1) and (0 − η)·f + η as one fma,
  /// and after the warm-up it returns η rounded to `Float`.
  @inlinable
  static func scheduledRate(_ rate: Double, warmupSteps: Int, step t: Int, variant: ScheduleFreeVariant) -> Double {
    guard warmupSteps > 0 else { return rate }
    guard variant == .optax else { return t < warmupSteps ? rate * (Double(t) / Double(warmupSteps)) : rate }
    let peak = Float(rate)
    guard t < warmupSteps else { return Double(peak) }
    let remaining = Float(1).addingProduct(-Float(Swift.max(t, 0)), 1 / Float(warmupSteps))
    return Double(peak.addingProduct(-peak, remaining))
  }

  /// Moves y and z along the base direction `u`.
  @inlinable @inline(__always)
  func apply(_ y: inout S, _ z: inout S, _ u: S) {
    switch variant {
    case .schedulefree:
      y = Elementwise.lerp(y, z, averaging) + yStep * u
      z -= zStep * u
    case .optax:
      let newZ = z + -zStep * u
      let x = keepX * ((y - keepZ * z) / beta) + averaging * newZ
      (y, z) = (beta * x + keepZ * newZ, newZ)
    }
  }
}
