/// Which reference a Schedule-Free rule (``ScheduleFreeAdamW``,
/// ``ScheduleFreeSGD``) follows where the two disagree.
///
/// Both references compute the same sequences y (where gradients are taken),
/// z (the base steps) and x (the average to evaluate). They differ in two
/// places:
///
/// - **Warm-up.** With `warmupSteps` W > 0, `schedulefree` uses
///   ηₜ = η·min(1, t/W) both for the averaging weight and for the step of z.
///   optax (`warmup_constant_schedule` read at two different counters) uses
///   η·min(1, t/W) for the averaging weight but η·min(1, (t − 1)/W) for the
///   step of z, so its first step leaves z where it was. optax also computes
///   that schedule in `Float` (its step counter is an int32), even when the
///   parameters are `Double`: `.optax` rounds ηₜ the same way, so the warm-up
///   rate and, after the warm-up, η itself are `Float` values. Without
///   warm-up they agree.
/// - **Arithmetic order.** `schedulefree` moves y in place,
///   y ← lerp(y, z, cₜ) + ηₜ(β(1 − cₜ) − 1)·u, and evaluates at
///   lerp(y, z, 1 − 1/β); optax recovers x = (y − (1 − β)z)/β, averages it with
///   the new z and forms y = βx + (1 − β)z. The results agree to rounding.
///
/// `schedulefree` also weights step t by t^r (`stepPower`); optax has no such
/// weight, which is r = 0, the default.
public enum ScheduleFreeVariant: String, Codable, Sendable, Hashable {
  /// The `schedulefree` package (`AdamWScheduleFree`, `SGDScheduleFree`), the
  /// authors' PyTorch code.
  case schedulefree
  /// `optax.contrib.schedule_free_adamw` and `optax.contrib.schedule_free_sgd`.
  case optax
}
