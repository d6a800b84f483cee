extension Scheduled {
  /// Drives an optional hyperparameter of `base` — `Adafactor.learningRate`,
  /// `OAdam.optimism` — by `schedule`: at every step the hyperparameter is set
  /// to `schedule(t)` (never `nil`), so the rule runs as if built with that
  /// value.
  ///
  /// ```swift
  /// let optimiser = Scheduled(Adafactor<Model>(), \.learningRate,
  ///                           by: CosineDecay(initial: 1e-3, decaySteps: 10_000))
  /// ```
  ///
  /// The key path stored in ``keyPaths`` writes through the optional.
  ///
  /// - Parameters:
  ///   - base: The rule.
  ///   - keyPath: The optional hyperparameter.
  ///   - schedule: Its value at each step.
  /// - Precondition: The base's hyperparameters are valid at step 0 (the
  ///   `validating:` form throws instead).
  /// - Complexity: O(1).
  public init(_ base: Base, _ keyPath: WritableKeyPath<Base, Double?> & Sendable, by schedule: S) {
    self.init(base, [(\Base.[scheduling: keyPath], schedule)])
  }

  /// Drives an optional hyperparameter of `base` by `schedule`, after checking
  /// the hyperparameters at every step of ``checkedSteps``.
  ///
  /// - Parameters:
  ///   - base: The rule.
  ///   - keyPath: The optional hyperparameter.
  ///   - schedule: Its value at each step.
  /// - Throws: ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``
  ///   naming the step.
  /// - Complexity: O(checked steps).
  public init(
    validating base: Base, _ keyPath: WritableKeyPath<Base, Double?> & Sendable, by schedule: S
  ) throws(OptimiserError) {
    try self.init(validating: base, \Base.[scheduling: keyPath], by: schedule)
  }
}

extension Optimiser {
  /// An optional hyperparameter seen as a `Double` that ``Scheduled`` writes:
  /// reading a `nil` gives NaN (``Scheduled`` never reads it).
  subscript(scheduling keyPath: WritableKeyPath<Self, Double?> & Sendable) -> Double {
    get { self[keyPath: keyPath] ?? .nan }
    set { self[keyPath: keyPath] = newValue }
  }
}
