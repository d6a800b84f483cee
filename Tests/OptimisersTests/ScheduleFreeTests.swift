import Foundation
import OptimiserLaws
import Optimisers
import Testing

/// The Schedule-Free rules' own promises, beyond the reference trajectories
/// (`RecentRuleFixtureTests`) and the catalogue's laws.
@Suite struct ScheduleFreeTests {
  typealias Model = AffineModel<Double>

  static func model() -> Model { Model(weight: Tensor(shape: [2, 2], scalars: [1, -2, 3, 0.5]), bias: Tensor([0.25, -1])) }
  static func gradient(_ k: Int) -> Tangent<Model> {
    Tangent(leaves: [Tensor(shape: [2, 2], scalars: [0.5, -1, Double(k), 2]), Tensor([-0.5, Double(k) / 3])])
  }

  @Test func evaluationParametersChangeNeitherStateNorParameters() throws {
    let rule = ScheduleFreeAdamW<Model>(learningRate: 0.1, warmupSteps: 2)
    var (state, y) = (rule.initialState(for: Self.model()), Self.model())
    #expect(rule.evaluationParameters(state, y).parametersBitwiseEqual(y), "before the first step x = y")
    for k in 1...3 { rule.update(&state, &y, Self.gradient(k)) }
    let (stateBefore, yBefore) = (try StateTree(encoding: state), y)
    let x = rule.evaluationParameters(state, y)
    #expect(try StateTree(encoding: state) == stateBefore && y.parametersBitwiseEqual(yBefore))
    #expect(!x.parametersBitwiseEqual(y))
    // y = (1 − β)z + βx, the interpolation the rule trains at.
    for (leaf, (xs, ys)) in zip([x.weight, x.bias], [y.weight, y.bias]).enumerated() {
      let zs = state.z.leaves[leaf]
      for i in xs.scalars.indices {
        #expect(abs(0.1 * zs.scalars[i] + 0.9 * xs.scalars[i] - ys.scalars[i]) < 1e-12)
      }
    }
  }

  /// With z and y equal and learning rate 1, one SGD step moves y by
  /// η(β(1 − c) − 1)g with c = 1 on the first step: y = z − ηg = x.
  @Test func firstSGDStepByHand() {
    let rule = ScheduleFreeSGD<Double>(learningRate: 0.5, momentum: 0.9)
    var (state, p) = (rule.initialState(for: 2.0), 2.0)
    rule.update(&state, &p, 4)
    #expect(state.z == 0 && p == 0)
    #expect(rule.evaluationParameters(state, p) == 0)
    // Step 2: c = 1/2, y = lerp(0, 0, 1/2) + 0.5(0.9 · 0.5 − 1) · 2, z = −1.
    rule.update(&state, &p, 2)
    #expect(state.z == -1 && abs(p - 0.5 * (0.45 - 1) * 2) < 1e-15)
    #expect(state.weightSum == 0.5 && state.maximumLearningRate == 0.5)
  }

  @Test func optaxWarmUpLeavesZOnTheFirstStep() {
    let rule = ScheduleFreeSGD<Double>(learningRate: 0.5, warmupSteps: 4, variant: .optax)
    var (state, p) = (rule.initialState(for: 2.0), 2.0)
    rule.update(&state, &p, 4)
    #expect(state.z == 2 && p == 2)
    let other = ScheduleFreeSGD<Double>(learningRate: 0.5, warmupSteps: 4, variant: .schedulefree)
    var (otherState, q) = (other.initialState(for: 2.0), 2.0)
    other.update(&otherState, &q, 4)
    #expect(otherState.z == 2 - 0.125 * 4)
  }

  @Test func aStateOfTheOtherRuleOrWithoutItsMomentIsRejected() throws {
    let model = Self.model()
    var state = ScheduleFreeAdamW<Model>().initialState(for: model)
    state.secondMoment = nil
    #expect(throws: OptimiserError.invalidState("Schedule-Free AdamW state has no secondMoment")) {
      try ScheduleFreeAdamW<Model>().validate(state, for: model)
    }
    var sgd = ScheduleFreeSGD<Model>().initialState(for: model)
    sgd.weightSum = -.infinity
    #expect(throws: OptimiserError.self) { try ScheduleFreeSGD<Model>().validate(sgd, for: model) }
    let json = try JSONEncoder().encode(ScheduleFreeSGD<Model>().initialState(for: model))
    #expect(throws: (any Error).self) { try JSONDecoder().decode(ScheduleFreeAdamW<Model>.State.self, from: json) }
  }

  @Test func betaOutsideTheOpenIntervalIsNamed() {
    #expect(throws: OptimiserError.self) { try ScheduleFreeSGD<Double>(momentum: 0.5).with(\.momentum, 0).validateHyperparameters() }
    let error = #expect(throws: OptimiserError.self) {
      try ScheduleFreeAdamW<Double>().with(\.beta1, 1).validateHyperparameters()
    }
    #expect(error?.description.contains("beta1 must be in (0, 1)") == true, "\(String(describing: error))")
  }

  /// Resuming from a checkpoint after three steps gives bitwise the run that
  /// never stopped, training and evaluation parameters alike.
  @Test func resumesBitExactlyFromACheckpoint() throws {
    let rule = ScheduleFreeAdamW<Model>(learningRate: 0.05, weightDecay: 0.01, warmupSteps: 3, variant: .optax)
    var (state, y) = (rule.initialState(for: Self.model()), Self.model())
    for k in 1...3 { rule.update(&state, &y, Self.gradient(k)) }
    let saved = try rule.checkpoint(state, for: y, includingParameters: true)
    var restored = try rule.restore(from: try Checkpoint(decoding: saved.encoded()), for: y)
    var z = y
    for k in 4...6 {
      rule.update(&state, &y, Self.gradient(k))
      rule.update(&restored, &z, Self.gradient(k))
    }
    #expect(y.parametersBitwiseEqual(z))
    #expect(rule.evaluationParameters(state, y).parametersBitwiseEqual(rule.evaluationParameters(restored, z)))
  }
}

extension Optimiser {
  /// A copy with one hyperparameter changed, unchecked (for range tests).
  func with(_ key: WritableKeyPath<Self, Double>, _ value: Double) -> Self {
    var copy = self
    copy[keyPath: key] = value
    return copy
  }
}
