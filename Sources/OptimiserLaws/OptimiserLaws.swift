import Optimisers

/// The law kit: property checks that any optimiser rule — yours included —
/// should pass, each failure reported with a shrunk counterexample.
///
/// Give ``check(_:parameters:laws:configuration:encode:decode:)`` a rule and a
/// ``ParameterGenerator``; it draws random shapes, parameters and gradients from
/// a seeded `SplitMix64`, checks every ``Law``, and returns a ``LawReport``.
/// The kit depends on no test framework and no Foundation, so it runs in a test,
/// a script or a debugger. Testing your own rule takes a dozen lines:
///
/// ```swift
/// import Foundation
/// import Optimisers
/// import OptimiserLaws
///
/// typealias Rule = SignDescent<Tensor<Float>>        // your rule
/// let report = OptimiserLaws.check(
///   Rule(learningRate: 0.01),
///   parameters: .tensor(shape: [4, 3]),
///   encode: { try Array(JSONEncoder().encode($0)) },
///   decode: { try JSONDecoder().decode(Rule.State.self, from: Data($0)) })
/// print(report)            // SignDescent<Tensor<Float>>: 5 laws × 16 trials, no violations …
/// precondition(report.passed, "\(report)")
/// ```
///
/// A rule that legitimately breaks a law opts out of it: decoupled weight decay
/// moves without a gradient (`laws: Law.all.subtracting([.zeroGradientFixedPoint])`),
/// a global-norm transform couples the leaves (drop ``Law/leafIndependence``).
/// Leave out `encode`/`decode` to check resuming through the library's binary
/// `Checkpoint` encoding instead of your own coder.
///
/// (A single tensor has one leaf, so ``Law/leafIndependence`` is reported as not
/// applicable; use ``ParameterGenerator/model(_:)`` with a two-leaf model to
/// check it.) A violation reads, for example:
///
///     purity violated (trial 0, shrunk in 6 steps from 8 to 1 scalars): the pure
///     update changed its input state: {"box": {"total": 0.0}, "step": 0} became …
///     1 leaf/leaves, 1 step(s)
///       leaf 0 shape [1, 1]: parameters [0.0]
///       step 1 gradient: [1.0]
///
/// A rule that traps (a failed precondition) stops the process like any trap;
/// the kit reports only the laws' failures.
///
/// - Complexity: O(`trials` × `maximumSteps`² × *n*) per law, plus shrinking
///   (at most ``LawConfiguration/maximumShrinkAttempts`` re-runs per failing law).
/// - References: Claessen and Hughes, *QuickCheck: A Lightweight Tool for Random
///   Testing of Haskell Programs*, ICFP 2000; Babuschkin et al., *optax*
///   (pure `init`/`update`), 2020.
public enum OptimiserLaws: Sendable {
  /// Checks `laws` for `optimiser` on random cases drawn by `parameters`.
  ///
  /// Every law sees the same `trials` cases. The first failing case of a law
  /// is shrunk (fewer steps, smaller extents, simpler values) and reported; the
  /// law is not checked further.
  ///
  /// - Parameters:
  ///   - optimiser: The rule (or wrapper) to check, with its hyperparameters.
  ///   - parameters: Builds parameters of given leaf shapes.
  ///   - laws: The laws to check; default ``Law/all``.
  ///   - configuration: Seed, trials, steps and shrinking budget; default
  ///     ``LawConfiguration/init(seed:trials:maximumSteps:maximumShrinkAttempts:gradientScale:)``.
  ///   - encode: Saves a state, for ``Law/resumeExactness``; default the
  ///     library's binary checkpoint encoding.
  ///   - decode: Loads what `encode` saved; default the binary decoding.
  /// - Returns: The laws checked and every violation with its counterexample.
  /// - Complexity: See ``OptimiserLaws``.
  public static func check<O: Optimiser>(
    _ optimiser: O,
    parameters: ParameterGenerator<O.Params>,
    laws: Set<Law> = Law.all,
    configuration: LawConfiguration = LawConfiguration(),
    encode: @escaping (O.State) throws -> [UInt8] = { try binaryEncoded($0) },
    decode: @escaping ([UInt8]) throws -> O.State = { try binaryDecoded(O.State.self, from: $0) }
  ) -> LawReport {
    typealias Scalar = O.Params.TangentVector.Scalar
    let runner = LawRunner(optimiser: optimiser, generator: parameters, encode: encode, decode: decode)
    let ruleName = "\(O.self)"
    var report = LawReport(
      rule: ruleName, checked: [], notApplicable: [], trials: configuration.trials, violations: [],
      generatorProblem: nil)

    var random = SplitMix64(seed: configuration.seed)
    let template = Counterexample(
      leafShapes: parameters.leafShapes, parameters: parameters.leafShapes.map { [Double](repeating: 0, count: Counterexample.elementCount($0)) },
      gradients: [])
    if case .failure(let problem) = runner.parameters(template) {
      report.generatorProblem = problem.message
      return report
    }
    let cases = (0..<configuration.trials).map { _ in
      Shrinker<Scalar>.draw(
        template: parameters.leafShapes, maximumSteps: configuration.maximumSteps,
        gradientScale: configuration.gradientScale, using: &random)
    }
    for law in laws.sorted() {
      if law == .leafIndependence && parameters.leafShapes.count < 2 {
        report.notApplicable.append(law)
        continue
      }
      report.checked.append(law)
      for (trial, sample) in cases.enumerated() {
        guard let message = runner.failure(of: law, on: sample) else { continue }
        if message.hasPrefix("generator: ") {
          report.generatorProblem = String(message.dropFirst("generator: ".count))
          return report
        }
        let (shrunk, shrunkMessage, steps) = Shrinker<Scalar>.shrink(
          sample, message: message, budget: configuration.maximumShrinkAttempts
        ) { runner.failure(of: law, on: $0) }
        report.violations.append(LawViolation(
          law: law, message: shrunkMessage, counterexample: shrunk, original: sample, trial: trial,
          shrinkSteps: steps))
        break
      }
    }
    return report
  }

  /// A state in the library's binary checkpoint encoding (the default `encode`
  /// of ``check(_:parameters:laws:configuration:encode:decode:)``).
  ///
  /// - Parameter state: Any `Encodable` state.
  /// - Throws: What the state's encoding throws.
  /// - Complexity: O(*n*).
  public static func binaryEncoded<State: Encodable>(_ state: State) throws -> [UInt8] {
    let checkpoint = Checkpoint(
      optimiser: nil, step: nil, leaves: nil, scalarType: nil, state: try StateTree(encoding: state))
    return checkpoint.encoded()
  }

  /// A state decoded from ``binaryEncoded(_:)``'s bytes.
  ///
  /// - Parameters:
  ///   - type: The state type.
  ///   - bytes: What ``binaryEncoded(_:)`` returned.
  /// - Throws: `CheckpointError` or `DecodingError`.
  /// - Complexity: O(*n*).
  public static func binaryDecoded<State: Decodable>(_ type: State.Type, from bytes: [UInt8]) throws -> State {
    try Checkpoint(decoding: bytes).state.decode(type)
  }
}
