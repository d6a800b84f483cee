import OptimiserLaws
import OptimiserLawsTesting
import Optimisers
import Testing

/// Configurations that must be the same optimiser, and the transform laws
/// (`Accumulate`, `Masked`, `Partition`, `SkipNonFinite`, `ClipGlobalNorm`,
/// descent), through `SemanticLaws`.
@Suite struct SemanticEquivalenceTests {
  typealias M<S: ParameterScalar> = AffineModel<S>
  typealias G<S: ParameterScalar> = LeafGroup<M<S>>

  /// Leaves of up to 20 and 9 scalars: longer than the 8 partial sums of the
  /// unrolled reductions (`SkipNonFinite`'s finiteness check, the clipping
  /// norms), so their blocked loops and their tails both run.
  static func layout<S: ParameterScalar>(_: S.Type) -> ParameterGenerator<M<S>> {
    .model(M<S>(weight: .zeros([4, 5]), bias: .zeros([9])))
  }

  func equivalences<S: ParameterScalar>(_: S.Type) {
    let p = Self.layout(S.self)
    let all = LeafSelector { _, _ in true }
    // AdamW with zero decay is Adam; the two kernels group stepSize · m / d
    // differently, so within rounding.
    SemanticLaws.equivalence(
      AdamW<M<S>>(learningRate: 0.01, beta1: 0.8, weightDecay: 0), Adam<M<S>>(learningRate: 0.01, beta1: 0.8),
      parameters: p, tolerance: .rounding(S.self)
    ).expectPassed()
    // A one-group Partition is its rule: the same kernel on the gathered leaves.
    SemanticLaws.equivalence(
      Partition(Adam<G<S>>(learningRate: 0.01), for: all, otherwise: Frozen<G<S>>()), Adam<M<S>>(learningRate: 0.01),
      parameters: p
    ).expectPassed()
    SemanticLaws.equivalence(
      Partition(Frozen<G<S>>(), for: all.inverted, otherwise: Momentum<G<S>>()), Momentum<M<S>>(), parameters: p
    ).expectPassed()
    // Chain identity and associativity.
    SemanticLaws.equivalence(Chain(Lion<M<S>>()), Lion<M<S>>(), parameters: p).expectPassed()
    SemanticLaws.equivalence(
      Chain(ClipValue(0.5), Chain(WeightDecay(0.01), Adam<M<S>>())), Chain(Chain(ClipValue(0.5), WeightDecay(0.01)), Adam<M<S>>()),
      parameters: p
    ).expectPassed()
    SemanticLaws.equivalence(
      Chain(ClipNorm(1), WeightDecay(0.1), Momentum<M<S>>()), Chain(ClipNorm(1), Chain(WeightDecay(0.1), Momentum<M<S>>())),
      parameters: p
    ).expectPassed()
    // `decay:` is the InverseDecay schedule on the learning rate.
    SemanticLaws.equivalence(
      SGD<M<S>>(learningRate: 0.2, decay: 0.3),
      Scheduled(SGD<M<S>>(learningRate: 0.2), \.learningRate, by: InverseDecay(initial: 0.2, decay: 0.3)), parameters: p
    ).expectPassed()
    SemanticLaws.equivalence(
      Momentum<M<S>>(learningRate: 0.05, decay: 0.5),
      Scheduled(Momentum<M<S>>(learningRate: 0.05), \.learningRate, by: InverseDecay(initial: 0.05, decay: 0.5)), parameters: p
    ).expectPassed()
    SemanticLaws.equivalence(
      Nesterov<M<S>>(learningRate: 0.05, decay: 0.5),
      Scheduled(Nesterov<M<S>>(learningRate: 0.05), \.learningRate, by: InverseDecay(initial: 0.05, decay: 0.5)), parameters: p
    ).expectPassed()
    SemanticLaws.equivalence(
      Adam<M<S>>(learningRate: 0.01, decay: 0.5),
      Scheduled(Adam<M<S>>(learningRate: 0.01), \.learningRate, by: InverseDecay(initial: 0.01, decay: 0.5)), parameters: p
    ).expectPassed()
  }

  @Test func sameOptimiserWrittenTwoWays() {
    equivalences(Float.self)
    equivalences(Double.self)
  }

  @Test func differentOptimisersAreTold() {
    let report = SemanticLaws.equivalence(
      SGD<M<Double>>(learningRate: 0.2, decay: 0.3), SGD<M<Double>>(learningRate: 0.2), parameters: Self.layout(Double.self))
    #expect(!report.passed)
    #expect((report.counterexample?.steps ?? 99) == 2, "\(report)")
    #expect((report.counterexample?.scalarCount ?? 99) == 2, "\(report)")  // one per leaf
  }

  func transforms<S: ParameterScalar>(_: S.Type) {
    let p = Self.layout(S.self)
    for k in [2, 3] {
      SemanticLaws.accumulation(every: k, SGD<M<S>>(), parameters: p).expectPassed()
      SemanticLaws.accumulation(every: k, Momentum<M<S>>(), parameters: p).expectPassed()
      SemanticLaws.accumulation(every: k, Adam<M<S>>(learningRate: 0.01), parameters: p).expectPassed()
    }
    SemanticLaws.maskedLeavesUntouched(ClipNorm(0.1), selecting: .rank(atLeast: 2), Adam<M<S>>(), parameters: p).expectPassed()
    SemanticLaws.maskedLeavesUntouched(WeightDecay(0.5), selecting: .named { $0 == "bias" }, Momentum<M<S>>(), parameters: p)
      .expectPassed()
    SemanticLaws.globalClipping(parameters: p).expectPassed()
  }

  @Test func transformLaws() {
    transforms(Float.self)
    transforms(Double.self)
  }

  /// Frozen leaves of a `Partition` keep their values bitwise, step after step.
  @Test func frozenLeavesOfAPartitionStayPut() {
    let rule = Partition(Frozen<G<Double>>(), for: .rank(atLeast: 2), otherwise: Adam<G<Double>>(learningRate: 0.1))
    Property.forAll(.optimiserCase(parameters: Self.layout(Double.self), steps: 1...6)) { sample in
      var params = sample.parameters
      var state = rule.initialState(for: params)
      for gradient in sample.gradients {
        rule.update(&state, &params, gradient)
        try Property.require(params.weight == sample.parameters.weight, "the frozen weight moved")
      }
      try Property.require(
        sample.steps == 0 || params.bias.scalars.allSatisfy(\.isFinite), "the trained bias is not finite")
    }.expectPassed()
  }

  func skips<S: ParameterScalar>(_ rule: any Optimiser<M<S>>, _: S.Type) -> String? {
    let report = SemanticLaws.skippedStepsChangeNothing(rule, parameters: Self.layout(S.self), configuration: .init(trials: 15))
    return report.passed ? nil : "\(report)"
  }

  func descends<S: ParameterScalar>(_ rule: any Optimiser<M<S>>, _: S.Type) -> String? {
    let report = SemanticLaws.convexDescent(rule, parameters: Self.layout(S.self), configuration: .init(trials: 6))
    return report.passed ? nil : "\(report)"
  }

  /// Every catalogued rule: a skipped step changes nothing, and small steps
  /// descend a convex quadratic.
  @Test(arguments: RuleCatalogue.all.map(RuleCase.init)) func skippedStepsAndDescent(_ entry: RuleCase) {
    var random = SplitMix64(seed: 0x5E_0016)
    for problem in [
      skips(entry.rule.make(for: M<Float>.self, using: &random), Float.self),
      skips(entry.rule.make(for: M<Double>.self, using: &random), Double.self),
      descends(entry.rule.makeForConvexDescent(for: M<Float>.self), Float.self),
      descends(entry.rule.makeForConvexDescent(for: M<Double>.self), Double.self),
    ] {
      #expect(problem == nil, "\(entry.rule.name): \(problem ?? "")")
    }
  }

  /// The step counter counts updates: a checkpoint after n updates records
  /// step n, for every catalogued rule (the counter drives bias corrections,
  /// schedules and resumed runs even where the rule's own maths ignores it).
  @Test(arguments: RuleCatalogue.all.map(RuleCase.init)) func stepCountersCountUpdates(_ entry: RuleCase) throws {
    var random = SplitMix64(seed: 0x5E_0017)
    let rule = entry.rule.make(for: M<Double>.self, using: &random)
    try countsSteps(rule)
  }

  func countsSteps<O: Optimiser>(_ rule: O) throws where O.Params == M<Double> {
    var params = M<Double>(weight: Tensor(randomNormal: [2, 3], seed: 5), bias: Tensor(randomNormal: [2], seed: 6))
    var state = rule.initialState(for: params)
    for n in 1...5 {
      let gradient = params.zeroTangentVector.mapScalarsForTest { i in Double(i % 3) - 0.7 * Double(n) }
      rule.update(&state, &params, gradient)
      #expect(try rule.checkpoint(state, for: params).step == n, "\(O.self) after \(n) updates")
    }
  }
}

extension SemanticEquivalenceTests {
  /// At ‖g‖ = maxNorm exactly, global clipping divides and multiplies, as
  /// optax's `clip_by_global_norm` does (`select(norm < max, g, g / norm *
  /// max)`): for g = (7, 24) and maxNorm 25 (‖g‖ = 25 exactly), 7 / 25 · 25
  /// rounds to 7.000000000000001.
  @Test func clippingAtExactlyTheThresholdRescalesAsOptaxDoes() {
    let clip = ClipGlobalNorm(25)
    let params = Tensor<Double>([0, 0])
    var state = clip.initialState(for: params)
    var gradient = Tensor<Double>([7, 24])
    clip.transform(&state, &gradient, params)
    #expect(gradient.scalars == [7 / 25.0 * 25, 24])
    #expect(gradient.scalars[0] == 7.000000000000001)
  }
}

extension VectorSpace {
  /// A copy whose i-th scalar (flat) is `value(i)`.
  fileprivate func mapScalarsForTest(_ value: (Int) -> Double) -> Self {
    var result = self
    var offset = 0
    for leaf in 0..<leafCount {
      result.withMutableLeaf(at: leaf) { buffer in
        for i in 0..<buffer.count { buffer[i] = Scalar(value(offset + i)) }
        offset += buffer.count
      }
    }
    return result
  }
}
