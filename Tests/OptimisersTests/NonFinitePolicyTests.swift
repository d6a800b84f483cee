import OptimiserLaws
import Optimisers
import Testing

/// The non-finite policy for any rule, through the composition's
/// `SkipNonFinite` wrapper: `.propagate` applies the step as the rule alone
/// would, `.skip` leaves parameters and rule state untouched, `.stop` throws
/// from `checkedUpdate` without changing anything; the counters live in the
/// state and survive checkpoints.
@Suite struct NonFinitePolicyTests {
  static let cases = RuleCatalogue.all.map(RuleCase.init)

  static func tree<T: Encodable>(_ value: T) throws -> StateTree { try StateTree(encoding: value) }

  @Test(arguments: cases) func everyRuleUnderEveryPolicy(_ entry: RuleCase) throws {
    var random = SplitMix64(seed: 0x0F1_0001)
    let base = entry.rule.make(for: AffineModel<Double>.self, using: &random)
    try check(base, &random)
  }

  func check<B: Optimiser>(_ base: B, _ random: inout SplitMix64) throws where B.Params == AffineModel<Double> {
    let start: AffineModel<Double> = random.affine()
    let good = (0..<3).map { _ in random.gradient(for: start) }
    var bad = random.gradient(for: start)
    var bias = bad[\.bias]
    bias[flat: 0] = .nan
    bad[\.bias] = bias

    var baseParams = start
    var baseState = base.initialState(for: start)
    for g in good { base.update(&baseState, &baseParams, g) }

    for policy in NonFinitePolicy.allCases {
      let wrapped = SkipNonFinite(base, policy: policy, maxConsecutive: 2)
      var params = start
      var state = wrapped.initialState(for: start)
      for g in good { try wrapped.checkedUpdate(&state, &params, g) }
      // Finite gradients: exactly the rule alone.
      #expect(params.parametersBitwiseEqual(baseParams), "\(B.self) \(policy)")
      #expect(try Self.tree(state.base) == Self.tree(baseState), "\(B.self) \(policy)")
      let paramsBefore = params
      let stateBefore = try Self.tree(state)

      switch policy {
      case .skip:
        try wrapped.checkedUpdate(&state, &params, bad)
        #expect(params.parametersBitwiseEqual(paramsBefore), "\(B.self): a skipped step moved the parameters")
        #expect(try Self.tree(state.base) == Self.tree(baseState), "\(B.self): a skipped step changed the rule state")
        #expect(state.nonFiniteSteps == 1 && state.consecutiveNonFiniteSteps == 1)
        // The counters are part of the checkpoint.
        let restored = try wrapped.restore(from: Checkpoint(decoding: wrapped.checkpoint(state, for: params).encoded()), for: params)
        #expect(restored.nonFiniteSteps == 1 && restored.consecutiveNonFiniteSteps == 1)
        // Gives up after maxConsecutive consecutive bad steps, without changing anything.
        try wrapped.checkedUpdate(&state, &params, bad)
        let third = try Self.tree(state)
        #expect(throws: NonFiniteError.self) { try wrapped.checkedUpdate(&state, &params, bad) }
        #expect(try Self.tree(state) == third)
        // A finite step resets the consecutive count, not the total.
        try wrapped.checkedUpdate(&state, &params, good[0])
        #expect(state.consecutiveNonFiniteSteps == 0 && state.nonFiniteSteps == 2)
      case .propagate:
        var expectedParams = params
        var expectedBase = state.base
        base.update(&expectedBase, &expectedParams, bad)
        try wrapped.checkedUpdate(&state, &params, bad)
        #expect(params.parametersBitwiseEqual(expectedParams), "\(B.self): propagate differs from the rule alone")
        #expect(try Self.tree(state.base) == Self.tree(expectedBase))
        #expect(state.nonFiniteSteps == 1)
      case .applyPastLimit:
        // Skipped while at most maxConsecutive (2) in a row, then applied as the rule alone would.
        try wrapped.checkedUpdate(&state, &params, bad)
        try wrapped.checkedUpdate(&state, &params, bad)
        #expect(params.parametersBitwiseEqual(paramsBefore), "\(B.self): a step within the limit moved the parameters")
        #expect(try Self.tree(state.base) == Self.tree(baseState))
        var expectedParams = params
        var expectedBase = state.base
        base.update(&expectedBase, &expectedParams, bad)
        try wrapped.checkedUpdate(&state, &params, bad)
        #expect(params.parametersBitwiseEqual(expectedParams), "\(B.self): the step past the limit was not applied")
        #expect(try Self.tree(state.base) == Self.tree(expectedBase))
        #expect(state.nonFiniteSteps == 3 && state.consecutiveNonFiniteSteps == 3)
      case .stop:
        #expect(throws: NonFiniteError(consecutive: 1, total: 1, policy: .stop)) {
          try wrapped.checkedUpdate(&state, &params, bad)
        }
        #expect(params.parametersBitwiseEqual(paramsBefore), "\(B.self): a stopped step moved the parameters")
        #expect(try Self.tree(state) == stateBefore, "\(B.self): a stopped step changed the state")
      }
    }
  }

  @Test func wrappedRulesPassTheLawKitAndCheckpointsNameThePolicy() throws {
    typealias Model = AffineModel<Double>
    for policy in NonFinitePolicy.allCases {
      let wrapped = SkipNonFinite(Adam<Model>(learningRate: 0.01), policy: policy)
      let report = OptimiserLaws.check(wrapped, parameters: .model(Model(weight: .zeros([3, 2]), bias: .zeros([3]))))
      #expect(report.passed, "\(report)")
    }
    let params = Tensor<Double>([1, 2])
    let skipping = SkipNonFinite(Adam<Tensor<Double>>(), policy: .skip)
    let checkpoint = try skipping.checkpoint(skipping.initialState(for: params), for: params)
    let stopping = SkipNonFinite(Adam<Tensor<Double>>(), policy: .stop)
    #expect(throws: CheckpointError.self) { try stopping.restore(from: checkpoint, for: params) }
    do { _ = try stopping.restore(from: checkpoint, for: params) } catch {
      #expect(error.description.contains("policy"), "\(error)")
    }
    // Impossible counters are rejected on loading.
    guard case .object(var members) = checkpoint.state,
      let index = members.firstIndex(where: { $0.key == "nonFiniteSteps" })
    else { Issue.record("no counter in \(checkpoint.state)"); return }
    members[index].value = .integer(Int64.max)
    var damaged = checkpoint
    damaged.state = .object(members)
    #expect(throws: CheckpointError.self) { try skipping.restore(from: damaged, for: params) }
  }
}
