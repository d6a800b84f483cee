import Optimisers

/// The laws of an `ObjectiveOptimiser` (`LBFGS`, `SharpnessAware`, or
/// your own), checked on generated starting points with shrinking:
///
/// - **purity**: the pure `step(state, params, objective:)` leaves its
///   inputs bitwise unchanged, and two calls on the same inputs agree;
/// - **pure = in place**: it gives bitwise what the in-place step gives, with
///   the same report (evaluations, iterations, stop reason);
/// - **resume**: a run checkpointed after some steps (binary `Checkpoint`
///   with the parameters, decoded and restored) continues bitwise as the run
///   that never stopped — history, counters and reports included.
///
/// States are compared through their checkpoint bytes, so no `Equatable`
/// conformance is needed. A step that throws (`ObjectiveError`) must throw
/// the same error on both sides.
///
/// ```swift
/// let report = ObjectiveLaws.check(
///   LBFGS<Tensor<Double>>(historySize: 4, lineSearch: .strongWolfe()),
///   parameters: .tensor(shape: [2]), objective: rosenbrock)
/// precondition(report.passed, "\(report)")
/// ```
///
/// - Complexity: O(trials × steps × (iteration cost + evaluations)).
/// - References: Claessen and Hughes, *QuickCheck*, ICFP 2000 (generated
///   cases, shrinking).
public enum ObjectiveLaws: Sendable {
  /// Checks purity, pure = in place and resume for `optimiser` on
  /// `objective`.
  ///
  /// - Parameters:
  ///   - optimiser: The optimiser.
  ///   - parameters: The leaf layout of the starting points.
  ///   - objective: The value and gradient; it should be finite near the
  ///     generated starting points (standard normal values).
  ///   - steps: The run lengths before and after the checkpoint; default `0...4`.
  ///   - configuration: Default 20 trials.
  /// - Returns: The report, with the smallest failing case.
  /// - Complexity: See ``ObjectiveLaws``.
  public static func check<O: ObjectiveOptimiser>(
    _ optimiser: O, parameters: ParameterGenerator<O.Params>,
    objective: @escaping @Sendable (O.Params) -> (value: O.Params.TangentVector.Scalar, gradient: O.Params.TangentVector),
    steps: ClosedRange<Int> = 0...4, configuration: PropertyConfiguration = PropertyConfiguration(trials: 20)
  ) -> PropertyReport<ObjectiveCase<O.Params>> {
    let cases = Generator<O.Params>.parameters(parameters).flatMap { params in
      Generator<Int>.int(in: steps).flatMap { before in
        Generator<Int>.int(in: steps).map { after in
          ObjectiveCase(parameters: params, stepsBefore: before, stepsAfter: after)
        }
      }
    }
    return Property.forAll(cases, name: "\(O.self) objective laws", configuration: configuration) { sample in
      try run(optimiser, sample, objective: objective)
    }
  }

  /// One step's outcome: the report, or the error it threw.
  typealias Outcome = Result<ObjectiveStepReport, ObjectiveError>

  static func bits<P: Differentiable>(_ params: P) -> [UInt64] {
    params.flattenedParameters.map { UInt64(truncatingIfNeeded: Double($0).bitPattern) }
  }

  static func run<O: ObjectiveOptimiser>(
    _ optimiser: O, _ sample: ObjectiveCase<O.Params>,
    objective: (O.Params) -> (value: O.Params.TangentVector.Scalar, gradient: O.Params.TangentVector)
  ) throws {
    func stateBytes(_ state: O.State, _ params: O.Params) throws -> [UInt8] {
      try optimiser.checkpoint(state, for: params).encoded()
    }
    func inPlace(_ state: inout O.State, _ params: inout O.Params) -> Outcome {
      do { return .success(try optimiser.step(&state, &params, objective: objective)) } catch { return .failure(error) }
    }
    var params = sample.parameters
    var state = optimiser.initialState(for: params)
    for index in 0..<(sample.stepsBefore + sample.stepsAfter) {
      if index == sample.stepsBefore {
        // Resume: through a binary checkpoint with the parameters, then both
        // runs continue and must agree step by step.
        let checkpoint = try Checkpoint(decoding: optimiser.checkpoint(state, for: params, includingParameters: true).encoded())
        var resumedParams = sample.parameters
        try checkpoint.restoreParameters(into: &resumedParams)
        var resumed = try optimiser.restore(from: checkpoint, for: resumedParams)
        var original = (state, params)
        for later in index..<(sample.stepsBefore + sample.stepsAfter) {
          let a = inPlace(&original.0, &original.1), b = inPlace(&resumed, &resumedParams)
          try Property.require(
            "\(a)" == "\(b)" && bits(original.1) == bits(resumedParams),
            "resume: step \(later + 1) after the checkpoint differs (\(a) against \(b))")
          try Property.require(
            try stateBytes(original.0, original.1) == stateBytes(resumed, resumedParams),
            "resume: the states differ after step \(later + 1)")
        }
      }
      // Purity and pure = in place on this step.
      let (stateBefore, paramsBefore) = (try stateBytes(state, params), bits(params))
      var pure: (O.State, O.Params, ObjectiveStepReport)? = nil
      var pureError: ObjectiveError? = nil
      do { pure = try optimiser.step(state, params, objective: objective) } catch { pureError = error }
      try Property.require(
        try stateBytes(state, params) == stateBefore && bits(params) == paramsBefore,
        "purity: step \(index + 1) changed its inputs")
      var again: (O.State, O.Params, ObjectiveStepReport)? = nil
      do { again = try optimiser.step(state, params, objective: objective) } catch {}
      if let pure, let again {
        try Property.require(
          pure.2 == again.2 && bits(pure.1) == bits(again.1)
            && (try stateBytes(pure.0, pure.1)) == (try stateBytes(again.0, again.1)),
          "purity: two pure steps \(index + 1) from the same inputs differ")
      }
      let outcome = inPlace(&state, &params)
      switch (outcome, pure, pureError) {
      case (.success(let report), let pure?, nil):
        try Property.require(
          report == pure.2 && bits(params) == bits(pure.1) && (try stateBytes(state, params)) == (try stateBytes(pure.0, pure.1)),
          "pure = in place: step \(index + 1) differs (\(report) against \(pure.2))")
      case (.failure(let error), nil, let pureError?):
        try Property.require("\(error)" == "\(pureError)", "pure = in place: step \(index + 1) threw \(error) and \(pureError)")
        return
      default:
        throw PropertyFailure("pure = in place: step \(index + 1) threw on one side only (\(outcome), \(pureError.map { "\($0)" } ?? "none"))")
      }
    }
  }
}
