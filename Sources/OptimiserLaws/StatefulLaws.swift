import Optimisers

/// Stateful sequences in the manner of Hypothesis's rule-based state machines:
/// random interleavings of updates, checkpoints (binary encode and decode),
/// save and restore, hyperparameter adjustments, schedule changes and skipped
/// (non-finite) steps, checked after every command against a model run, and
/// shrunk to the shortest failing sequence.
///
/// The system under test is `SkipNonFinite(Scheduled(rule, keyPath, by:
/// schedule))`, driven only through its public API. The model is the bare
/// rule, run in place from the start on the effective history — the updates
/// that were neither skipped nor undone by a restore — with each step's
/// hyperparameters set as the system had them. Checkpoints, restores and
/// skips must be invisible: the parameters agree bitwise after every command.
///
/// ```swift
/// let report = StatefulLaws.check(
///   Adam<Tensor<Float>>(), parameters: .tensor(shape: [2, 2]),
///   scheduling: \.learningRate, adjusting: (\.beta1, 0...0.99))
/// precondition(report.passed, "\(report)")
/// ```
///
/// - Complexity: O(trials × commands² × *n*) (the model replays its history).
/// - References: MacIver et al., *Hypothesis* (rule-based state machines),
///   JOSS 2019; Claessen and Hughes, *QuickCheck Testing for Fun and Profit*,
///   PADL 2007 (state machine models).
public enum StatefulLaws: Sendable {
  /// Runs random command sequences on `rule` and compares with the model.
  ///
  /// - Parameters:
  ///   - rule: The rule.
  ///   - parameters: The leaf layout.
  ///   - keyPath: The hyperparameter driven by a schedule (typically
  ///     `\.learningRate`); schedules are clamped to `rates`.
  ///   - rates: The range scheduled values are clamped to; default `0...0.1`.
  ///   - adjustable: Another hyperparameter and its valid range, if any.
  ///   - commands: Sequence lengths; default `1...12`.
  ///   - configuration: Default 60 trials.
  /// - Returns: The report, with the shortest failing sequence.
  /// - Complexity: See ``StatefulLaws``.
  public static func check<O: Optimiser>(
    _ rule: O, parameters: ParameterGenerator<O.Params>,
    scheduling keyPath: WritableKeyPath<O, Double> & Sendable, rates: ClosedRange<Double> = 0...0.1,
    adjusting adjustable: (keyPath: WritableKeyPath<O, Double> & Sendable, range: ClosedRange<Double>)? = nil,
    commands: ClosedRange<Int> = 1...12, configuration: PropertyConfiguration = PropertyConfiguration(trials: 60)
  ) -> PropertyReport<StatefulCase<O.Params>> {
    var choices: [Generator<OptimiserCommand>] = [
      Generator<Double>.normal().array(count: 1...3).map { .update($0) },
      .constant(.checkpoint), .constant(.save), .constant(.restore),
      Generator<GeneratedSchedule>.schedule(depth: 1).map { .changeSchedule($0) },
      Generator<Int>.int(in: 0...100).map { .skip($0) },
    ]
    if let adjustable { choices.append(Generator<Double>.hyperparameter(in: adjustable.range).map { .adjust($0) }) }
    let command = Generator<OptimiserCommand>.oneOf(choices)
    let cases = Generator<O.Params>.parameters(parameters).flatMap { params in
      command.array(count: commands).map { StatefulCase(parameters: params, commands: $0) }
    }
    return Property.forAll(cases, name: "\(O.self) stateful sequence", configuration: configuration) { sample in
      try run(rule, sample, keyPath: keyPath, rates: rates, adjustable: adjustable?.keyPath)
    }
  }

  /// One step of the model's history.
  struct Entry<O: Optimiser> {
    var gradient: O.Params.TangentVector
    var rule: O
  }

  static func gradient<P: Differentiable>(_ values: [Double], for params: P, nan index: Int? = nil) -> P.TangentVector {
    params.zeroTangentVector.mapScalars { _, i in
      if let index, i == index { return .nan }
      return values.isEmpty ? 0 : .init(values[i % values.count])
    }
  }

  static func run<O: Optimiser>(
    _ rule: O, _ sample: StatefulCase<O.Params>, keyPath: WritableKeyPath<O, Double> & Sendable,
    rates: ClosedRange<Double>, adjustable: (WritableKeyPath<O, Double> & Sendable)?
  ) throws {
    let start = sample.parameters
    func clamp(_ schedule: GeneratedSchedule) -> GeneratedSchedule {
      .clamped(schedule, lower: rates.lowerBound, upper: rates.upperBound)
    }
    var system = SkipNonFinite(Scheduled(rule, keyPath, by: clamp(.constant(rates.upperBound))), maxConsecutive: .max)
    var params = start
    var state = system.initialState(for: params)
    var history: [Entry<O>] = []
    var saved: (bytes: [UInt8], history: Int, system: SkipNonFinite<Scheduled<O, GeneratedSchedule>>)? = nil

    func checkpointBytes() throws -> [UInt8] {
      try system.checkpoint(state, for: params, includingParameters: true).encoded()
    }
    func load(_ bytes: [UInt8]) throws {
      let checkpoint = try Checkpoint(decoding: bytes)
      state = try system.restore(from: checkpoint, for: params, hyperparameters: .useOptimiser)
      try checkpoint.restoreParameters(into: &params)
    }
    for (index, command) in sample.commands.enumerated() {
      switch command {
      case .update(let values):
        let g = gradient(values, for: params)
        let step = history.count
        history.append(Entry(gradient: g, rule: system.base.base(at: step)))
        system.update(&state, &params, g)
      case .skip(let position):
        let count = params.flattenedParameters.count
        system.update(&state, &params, gradient([1], for: params, nan: count == 0 ? nil : position % count))
      case .checkpoint:
        try load(try checkpointBytes())
      case .save:
        saved = (try checkpointBytes(), history.count, system)
      case .restore:
        if let saved {
          // The optimiser as it was saved (its schedule and hyperparameters),
          // then its state and parameters.
          system = saved.system
          try load(saved.bytes)
          history.removeLast(history.count - saved.history)
        } else {
          params = start
          state = system.initialState(for: params)
          history = []
        }
      case .adjust(let value):
        if let adjustable { system.base.base[keyPath: adjustable] = value }
      case .changeSchedule(let schedule):
        system.base.schedules = [clamp(schedule)]
      }
      // The model: the bare rule, in place, on the effective history.
      var model = start
      var modelState = rule.initialState(for: model)
      for entry in history { entry.rule.update(&modelState, &model, entry.gradient) }
      let a = params.flattenedParameters, b = model.flattenedParameters
      if let i = a.indices.first(where: { a[$0].bitPattern != b[$0].bitPattern }) {
        throw PropertyFailure(
          "after command \(index + 1) (\(command)), scalar \(i) is \(a[i]); the model run (\(history.count) updates) gives \(b[i])")
      }
    }
  }
}
