/// An objective-driven optimiser with one hyperparameter driven by a
/// ``Schedule`` of the step count: SAM's radius ρ, L-BFGS's learning rate η
/// (the fixed step, or the line search's first trial), …
///
/// ```swift
/// let sam = ScheduledObjective(
///   SharpnessAware(Adam<Model>(learningRate: 1e-3)), \.radius,
///   by: LinearSchedule(initial: 0.01, end: 0.1, transitionSteps: 1_000))
/// ```
///
/// Step *k* (counted from 0 in the state, one per ``step(_:_:objective:)``
/// call, however many iterations the step makes) runs the base optimiser with
/// the hyperparameter set to `schedule(k)`. The count is saved with the base
/// state, so a run resumed from a checkpoint continues the schedule where it
/// stopped, bit-exactly.
///
/// - Complexity: The base's step plus O(1).
public struct ScheduledObjective<Base: ObjectiveOptimiser, S: Schedule>: ObjectiveOptimiser {
  /// The base optimiser's parameters.
  public typealias Params = Base.Params

  /// The base optimiser; its scheduled hyperparameter is overwritten each step.
  public var base: Base
  /// The schedule.
  public var schedule: S
  /// The scheduled hyperparameter.
  public let keyPath: WritableKeyPath<Base, Double> & Sendable

  /// Drives `keyPath` of `base` by `schedule`.
  ///
  /// - Precondition: The base with `schedule(step)` is valid at every step in
  ///   ``Schedule/checkedSteps``; otherwise the call stops with a message
  ///   naming it (``validateHyperparameters()`` throws instead).
  /// - Complexity: O(checked steps).
  public init(_ base: Base, _ keyPath: WritableKeyPath<Base, Double> & Sendable, by schedule: S) {
    self.base = base
    self.keyPath = keyPath
    self.schedule = schedule
    requireValidHyperparameters()
  }

  /// The state: the step count and the base's state.
  public struct State: Codable, Sendable {
    var rule = RuleTag<ScheduledObjective>()
    /// Steps taken so far; the next step uses `schedule(step)`.
    public var step: Int
    /// The base optimiser's state.
    public var base: Base.State

    /// Creates the state.
    ///
    /// - Complexity: O(1).
    public init(step: Int, base: Base.State) {
      self.step = step
      self.base = base
    }
  }

  /// The base with its hyperparameter at `step`.
  ///
  /// - Throws: ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``
  ///   naming the step when the scheduled value is out of range.
  /// - Complexity: O(1) plus the base's check.
  public func checkedBase(at step: Int) throws(OptimiserError) -> Base {
    var adjusted = base
    adjusted[keyPath: keyPath] = schedule(step)
    try OptimiserError.checkingScheduled(by: "ScheduledObjective", at: step, adjusted.validateHyperparameters)
    return adjusted
  }

  /// Step 0 and the base's initial state.
  ///
  /// - Complexity: The base's.
  public func initialState(for params: Params) -> State {
    State(step: 0, base: base.initialState(for: params))
  }

  /// One step of the base with the scheduled value for this step.
  ///
  /// - Throws: ``ObjectiveError`` from the base; the state is then unchanged.
  /// - Precondition: The scheduled value is valid at this step (see
  ///   ``checkedBase(at:)``).
  /// - Complexity: The base's step.
  @inlinable
  @discardableResult
  public func step(
    _ state: inout State, _ params: inout Params,
    objective: (Params) -> (value: Params.TangentVector.Scalar, gradient: Params.TangentVector)
  ) throws(ObjectiveError) -> ObjectiveStepReport {
    let adjusted: Base
    do { adjusted = try checkedBase(at: state.step) } catch { preconditionFailure(error.description) }
    let report = try adjusted.step(&state.base, &params, objective: objective)
    state.step += 1
    return report
  }

  /// Checks the step count and the base's state.
  ///
  /// - Throws: ``OptimiserError/invalidState(_:)`` for a negative step, or what
  ///   the base reports.
  /// - Complexity: The base's.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    guard state.step >= 0 else { throw .invalidState("ScheduledObjective: step \(state.step) is negative") }
    try base.validate(state.base, for: params)
  }

  /// Checks the base at every step in the schedule's ``Schedule/checkedSteps``.
  ///
  /// - Throws: ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``.
  /// - Complexity: O(checked steps) base checks.
  public func validateHyperparameters() throws(OptimiserError) {
    for step in Set([0] + schedule.checkedSteps.filter { $0 >= 0 }).sorted() { _ = try checkedBase(at: step) }
  }
}
