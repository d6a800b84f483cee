import Foundation
import OptimiserLaws
import Optimisers
import Testing

/// ``Cautious`` beyond its reference trajectories (`RecentRuleFixtureTests`).
@Suite struct CautiousTests {
  typealias Model = AffineModel<Double>

  /// SGD's step is −ηg, which always agrees with g: nothing is masked and every
  /// coordinate is scaled by n/(n + 1).
  @Test func anAgreeingStepIsOnlyRescaled() {
    let rule = Cautious(SGD<Tensor<Double>>(learningRate: 0.5))
    var p = Tensor<Double>([1, 2, 3])
    var state = rule.initialState(for: p)
    rule.update(&state, &p, Tensor([2, -2, 4]))
    #expect(p.scalars == [0.25, 2.75, 1.5])
  }

  /// Momentum's step disagrees with the gradient where the velocity points the
  /// other way: those coordinates stay, the others are scaled by n/(k + 1).
  @Test func aDisagreeingCoordinateStays() {
    let rule = Cautious(Momentum<Tensor<Double>>(learningRate: 1, momentum: 0.9), rescaling: .clampedMean(1e-3))
    var p = Tensor<Double>([0, 0])
    var state = rule.initialState(for: p)
    rule.update(&state, &p, Tensor([1, 1]))       // v = (1, 1): both agree, k/n = 1
    #expect(p.scalars == [-1, -1])
    rule.update(&state, &p, Tensor([-0.5, 2]))   // v = (0.4, 2.9): the first disagrees, k/n = 1/2
    #expect(p.scalars[0] == -1 && abs(p.scalars[1] - (-1 - 2 * 2.9)) < 1e-14)
  }

  @Test func keepsTheLawsAndResumesFromACheckpoint() throws {
    let generator = ParameterGenerator<Model>.model(Model(weight: .zeros([3, 4]), bias: .zeros([3])))
    let rule = Cautious(Adam<Model>(learningRate: 0.01))
    let report = OptimiserLaws.check(rule, parameters: generator, configuration: LawConfiguration(seed: 0xCA, trials: 8))
    #expect(report.passed, "\(report)")
    let paper = Cautious(Lion<Model>(learningRate: 0.01), rescaling: .clampedMean(1e-3))
    let second = OptimiserLaws.check(paper, parameters: generator, configuration: LawConfiguration(seed: 0xCB, trials: 8))
    #expect(second.passed, "\(second)")

    var random = SplitMix64(seed: 0xCA7)
    var model: Model = random.affine()
    var state = rule.initialState(for: model)
    for _ in 0..<3 { rule.update(&state, &model, random.gradient(for: model)) }
    let checkpoint = try rule.checkpoint(state, for: model, includingParameters: true)
    #expect(checkpoint.optimiser?.name.hasPrefix("Cautious") == true)
    var restored = try rule.restore(from: try Checkpoint(decoding: checkpoint.encoded()), for: model)
    var other = model
    let g = random.gradient(for: model)
    rule.update(&state, &model, g)
    rule.update(&restored, &other, g)
    #expect(model.parametersBitwiseEqual(other))
  }

  @Test func aFloorOutsideTheUnitIntervalIsRejected() {
    #expect(throws: OptimiserError.self) {
      var rule = Cautious(SGD<Double>())
      rule.rescaling = .clampedMean(0)
      try rule.validateHyperparameters()
    }
  }
}
