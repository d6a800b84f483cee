import Optimisers

/// Checks a property of your own over generated inputs — parameters of any
/// leaf shapes, gradient sequences, hyperparameters, steps, schedules — and
/// shrinks a failure to a minimal counterexample. Framework-free: call it from
/// a test, a script or a debugger.
///
/// ```swift
/// let report = Property.forAll(
///   Generator.zip(.optimiserCase(parameters: .tensor(shape: [3])), .hyperparameter(in: 1e-4...0.1)),
///   name: "SGD moves against the gradient"
/// ) { example, rate in
///   let (sample, rate) = (example, rate)
///   …
///   try Property.require(moved <= 0, "moved uphill by \(moved)")
/// }
/// precondition(report.passed, "\(report)")
/// ```
///
/// Trial *i* draws its case from a seed derived from
/// ``PropertyConfiguration/seed``; the first failing case is shrunk (fewer steps,
/// smaller shapes, simpler values) and reported with its own seed, so
/// `PropertyConfiguration(seed:)` with that seed replays it as trial 1.
///
/// - Complexity: O(`trials` + `maximumShrinkAttempts`) evaluations of `body`.
/// - References: Claessen and Hughes, *QuickCheck*, ICFP 2000; MacIver et
///   al., *Hypothesis*, JOSS 2019.
public enum Property: Sendable {
  /// Runs `body` on `configuration.trials` values of `generator`; the property
  /// holds if `body` returns without throwing.
  ///
  /// - Parameters:
  ///   - generator: Draws the inputs.
  ///   - name: A name for the report; default empty.
  ///   - configuration: Seed, trials and budgets; default ``PropertyConfiguration/init(seed:trials:maximumShrinkAttempts:maximumDiscarded:)``.
  ///   - body: Throws ``PropertyFailure`` (``require(_:_:)``) or any error when
  ///     the property does not hold.
  /// - Returns: The report, with the shrunk counterexample on failure.
  /// - Complexity: See ``Property``.
  public static func forAll<Value>(
    _ generator: Generator<Value>, name: String = "",
    configuration: PropertyConfiguration = PropertyConfiguration(),
    _ body: (Value) throws -> Void
  ) -> PropertyReport<Value> {
    withoutActuallyEscaping(body) { body in run(generator, name: name, configuration: configuration, body) }
  }

  static func run<Value>(
    _ generator: Generator<Value>, name: String, configuration: PropertyConfiguration,
    _ body: @escaping (Value) throws -> Void
  ) -> PropertyReport<Value> {
    var report = PropertyReport<Value>(
      name: name, configuration: configuration, trialsRun: 0, discarded: 0, gaveUp: false)
    func evaluate(_ value: Value) -> String? {
      do {
        try body(value)
        return nil
      } catch let failure as PropertyFailure {
        return failure.message
      } catch {
        return "threw \(error)"
      }
    }
    var seeds = SplitMix64(seed: configuration.seed)
    var trialSeed = configuration.seed
    for trial in 1...configuration.trials {
      if trial > 1 { trialSeed = seeds.next() }
      report.trialsRun = trial
      var source = ChoiceSource(seed: trialSeed)
      let value: Value
      do { value = try generator.generate(&source) } catch {
        report.discarded += 1
        if report.discarded > configuration.maximumDiscarded {
          report.gaveUp = true
          return report
        }
        continue
      }
      guard let message = evaluate(value) else { continue }
      var shrinker = ChoiceShrinker(
        (source.recorded, source.spans, message), budget: configuration.maximumShrinkAttempts
      ) { choices in
        var replay = ChoiceSource(replaying: choices)
        guard let candidate = try? generator.generate(&replay), let message = evaluate(candidate) else { return nil }
        return (replay.recorded, replay.spans, message)
      }
      shrinker.shrink()
      var replay = ChoiceSource(replaying: shrinker.best.choices)
      report.counterexample = (try? generator.generate(&replay)) ?? value
      report.original = value
      report.message = shrinker.best.message
      report.failingSeed = trialSeed
      report.shrinkSteps = shrinker.accepted
      report.shrinkAttempts = shrinker.attempts
      return report
    }
    return report
  }

  /// Fails the property with `message` unless `condition` holds.
  ///
  /// - Parameters:
  ///   - condition: What must be true.
  ///   - message: What to report otherwise.
  /// - Throws: ``PropertyFailure``.
  /// - Complexity: O(1) plus `message` on failure.
  public static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(PropertyFailure) {
    if !condition { throw PropertyFailure(message()) }
  }
}
