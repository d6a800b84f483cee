/// The state of the Schedule-Free rules (``ScheduleFreeAdamW``,
/// ``ScheduleFreeSGD``): the base sequence *z*, the running sums of the
/// averaging, and (for AdamW) the second moment *v*.
///
/// The parameters being trained hold y = (1 − β)z + βx; the average x that
/// should be evaluated is recovered from y and z by the rule's
/// `evaluationParameters(_:_:)`, so the state keeps only *z* (and *v*).
///
/// - Complexity: Encoding, decoding and ``validate(for:)`` are O(*n*) and O(leaves).
/// - References: Defazio et al., *The Road Less Scheduled*, NeurIPS 2024.
public struct ScheduleFreeState<Params: Differentiable, Rule>: BufferedState, Equatable {
  /// The rule's name, checked when the state is decoded.
  var rule = RuleTag<Rule>()
  /// The number of updates applied so far (t after the update).
  public var step: Int
  /// The largest scheduled learning rate so far (0 before the first step).
  public var maximumLearningRate: Double
  /// Σ wₛ over the steps taken, wₛ = s^r · (max ηₛ)^power.
  public var weightSum: Double
  /// The base sequence *z*, which starts at the initial parameters.
  public var z: Params.TangentVector
  /// The second moment *v* (``ScheduleFreeAdamW``); `nil` for ``ScheduleFreeSGD``.
  public var secondMoment: Params.TangentVector?

  /// Creates a state.
  @inlinable
  public init(
    step: Int, maximumLearningRate: Double, weightSum: Double, z: Params.TangentVector,
    secondMoment: Params.TangentVector?
  ) {
    (self.step, self.maximumLearningRate, self.weightSum) = (step, maximumLearningRate, weightSum)
    (self.z, self.secondMoment) = (z, secondMoment)
  }

  /// *z* then *v* (when kept).
  @inlinable
  public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
    visitor.visit(&z, "z")
    visitor.visit(&secondMoment, "secondMoment")
  }

  /// Records step t's learning rate ηₜ: the maximum rate so far and
  /// Σₛ≤ₜ wₛ with wₜ = t^r · (maxₛ≤ₜ ηₛ)^power.
  @inlinable
  mutating func advanceAverage(rate: Double, step t: Int, stepPower: Double, weightPower: Double) {
    maximumLearningRate = Swift.max(maximumLearningRate, rate)
    weightSum += power(Double(t), stepPower) * power(maximumLearningRate, weightPower)
  }

  /// Checks the step count, the running sums and every buffer's shapes, and
  /// that *v* is present exactly when `keepsSecondMoment`.
  func validate(for params: Params, keepsSecondMoment: Bool) throws(OptimiserError) {
    try validate(for: params)
    guard maximumLearningRate.isFinite, maximumLearningRate >= 0, weightSum.isFinite, weightSum >= 0 else {
      throw .invalidState(
        "Schedule-Free state has maximumLearningRate \(maximumLearningRate) and weightSum \(weightSum); both must be finite and ≥ 0")
    }
    if (secondMoment != nil) != keepsSecondMoment {
      throw .invalidState(
        keepsSecondMoment ? "Schedule-Free AdamW state has no secondMoment" : "Schedule-Free SGD state has a secondMoment")
    }
  }
}

extension ScheduleFreeState {
  /// The averaging weight of step t after `advanceAverage(rate:step:stepPower:weightPower:)`:
  /// cₜ = wₜ / Σₛ≤ₜ wₛ, 0 while every weight is 0.
  @inlinable
  func averagingWeight(step t: Int, stepPower: Double, weightPower: Double) -> Double {
    let weight = power(Double(t), stepPower) * power(maximumLearningRate, weightPower)
    return weightSum == 0 ? 0 : weight / weightSum
  }

  /// x from y = `params` and *z*: lerp(y, z, 1 − 1/β) for `.schedulefree`,
  /// (y − (1 − β)z)/β for `.optax`. Before the first step x = y.
  ///
  /// - Complexity: O(*n*); `params` is copied once, nothing else is written.
  @inlinable
  func evaluationParameters(_ params: Params, beta: Double, variant: ScheduleFreeVariant) -> Params {
    typealias S = Params.TangentVector.Scalar
    if step == 0 { return params }
    var result = params
    LeafWalk.checkShapes(of: params, z, role: "z")
    let towardsZ = S(1 - 1 / beta), keepZ = S(1 - beta), scale = S(beta)
    for leaf in 0..<result.parameterLeafCount {
      z.withLeaf(at: leaf) { z in
        result.withMutableParameterLeaf(at: leaf) { y in
          switch variant {
          case .schedulefree: for i in 0..<y.count { y[i] = Elementwise.lerp(y[i], z[i], towardsZ) }
          case .optax: for i in 0..<y.count { y[i] = (y[i] - keepZ * z[i]) / scale }
          }
        }
      }
    }
    return result
  }
}
