import OptimiserLaws
import Optimisers
import Testing

/// Scheduled rules through the law kit, checkpoints and the decoding fuzzer:
/// the schedule position (the step count) is part of the state and resumes
/// exactly.
@Suite struct ScheduledReliabilityTests {
  typealias Model = AffineModel<Double>

  static var generator: ParameterGenerator<Model> { .model(Model(weight: .zeros([3, 2]), bias: .zeros([3]))) }

  @Test func scheduledRulesPassTheLawKit() {
    let cosine = Scheduled(Adam<Model>(learningRate: 0.1), \.learningRate, by: CosineDecay(initial: 0.1, decaySteps: 3))
    let report = OptimiserLaws.check(cosine, parameters: Self.generator)
    #expect(report.passed, "\(report)")
    let warm = Scheduled(
      Momentum<Model>(learningRate: 0.1),
      [(\.learningRate, Warmup(CosineDecay(initial: 0.1, decaySteps: 5), steps: 2)),
       (\.momentum, Warmup(CosineDecay(initial: 0.9, decaySteps: 5), steps: 2))])
    let warmReport = OptimiserLaws.check(warm, parameters: Self.generator)
    #expect(warmReport.passed, "\(warmReport)")
  }

  @Test func scheduledCheckpointsResumeTheScheduleExactly() throws {
    let rule = Scheduled(Adam<Model>(learningRate: 0.1), \.learningRate, by: CosineDecay(initial: 0.1, decaySteps: 10))
    var random = SplitMix64(seed: 3)
    var model: Model = random.affine()
    var state = rule.initialState(for: model)
    let gradients = (0..<8).map { _ in random.gradient(for: model) }
    for g in gradients[..<4] { rule.update(&state, &model, g) }
    let checkpoint = try Checkpoint(decoding: rule.checkpoint(state, for: model, includingParameters: true).encoded())
    #expect(checkpoint.step == 4)

    var straight = model, straightState = state
    for g in gradients[4...] { rule.update(&straightState, &straight, g) }
    var resumed = Model(weight: .zeros(model.weight.shape), bias: .zeros(model.bias.shape))
    try checkpoint.restoreParameters(into: &resumed)
    var resumedState = try rule.restore(from: checkpoint, for: resumed)
    for g in gradients[4...] { rule.update(&resumedState, &resumed, g) }
    #expect(resumed.parametersBitwiseEqual(straight))
  }

  @Test func mutatedScheduledCheckpointsThrowOrLoad() {
    let rule = Scheduled(SGD<Tensor<Double>>(learningRate: 0.1), \.learningRate, by: CosineDecay(initial: 0.1, decaySteps: 10))
    var params = Tensor<Double>([1, 2, 3])
    var state = rule.initialState(for: params)
    rule.update(&state, &params, Tensor([1, 1, 1]))
    let report = DecodingFuzzer.fuzz(rule, state: state, parameters: params, cases: 600, seed: 11)
    #expect(report.problems.isEmpty, "\(report)")
    #expect(report.rejected > report.loaded, "\(report)")
  }
}
