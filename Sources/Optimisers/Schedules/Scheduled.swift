/// Any rule with one or more of its hyperparameters driven by a schedule.
///
/// Before each update, `Scheduled` copies the base rule, sets each scheduled
/// hyperparameter (through its key path) to `schedule(t)`, checks the copy's
/// hyperparameters, and runs the copy's update with the same gradient map. The
/// step t is ONE count kept in ``State`` — the number of updates applied — so it
/// is saved and restored with the rest of the optimiser state:
///
///     hₖ ← sₖ(t)  for every scheduled hyperparameter k
///     (state, p) ← base′.update(state, p, g)        t ← t + 1
///
/// ```swift
/// let optimiser = Scheduled(Adam<Model>(), \.learningRate,
///                           by: WarmupCosine(peak: 1e-3, warmupSteps: 100, decaySteps: 10_000))
/// ```
///
/// ## Several hyperparameters
/// - With schedules of one type, pass the pairs together; they read the same
///   step: `Scheduled(momentum, [(\.learningRate, cosineA), (\.momentum, cosineB)])`.
/// - With schedules of different types, wrap a `Scheduled` in another and reach
///   the inner rule's hyperparameter through `\.base`:
///   `Scheduled(Scheduled(adam, \.learningRate, by: warmupCosine), \.base.beta1, by: cyclic)`.
///   Each wrapper counts its updates; both counts start at 0 and advance together,
///   and ``validate(_:for:)`` rejects a state in which they differ, so both
///   schedules always read the same step.
///
/// ## The seed's `decay:`
/// `SGD`, `Momentum`, `Nesterov` and `Adam` compute ηₜ = η / (1 + decay · t).
/// `Scheduled(Adam(learningRate: η, decay: 0), \.learningRate,
/// by: InverseDecay(initial: η, decay: d))` gives bit-for-bit the numbers of
/// `Adam(learningRate: η, decay: d)`.
///
/// ## Steps in other libraries
/// Our step t is the number of updates already applied (0 for the first),
/// optax's `count`, and PyTorch's `last_epoch` when `scheduler.step()` is called
/// once after every `optimizer.step()`.
///
/// - Complexity: O(1) per scheduled hyperparameter, plus the base's update.
/// - References: Babuschkin et al., *optax* `inject_hyperparameters`, 2020;
///   PyTorch `torch.optim.lr_scheduler`, 2019.
public struct Scheduled<Base: Optimiser, S: Schedule>: Optimiser {
  /// The parameters of the base rule.
  public typealias Params = Base.Params

  /// The rule whose hyperparameters are scheduled, with the values used for
  /// the unscheduled ones.
  public var base: Base
  /// The schedules, one per entry of ``keyPaths``.
  public var schedules: [S]
  /// The scheduled hyperparameters, one per schedule. Key paths are immutable
  /// values with no captured state, so they are safe to share.
  public let keyPaths: [WritableKeyPath<Base, Double> & Sendable]

  /// Drives one hyperparameter of `base` by `schedule`.
  ///
  /// - Parameters:
  ///   - base: The rule.
  ///   - keyPath: The hyperparameter, such as `\.learningRate`.
  ///   - schedule: Its value at each step.
  /// - Complexity: O(1).
  @inlinable
  public init(_ base: Base, _ keyPath: WritableKeyPath<Base, Double> & Sendable, by schedule: S) {
    self.init(base, [(keyPath, schedule)])
  }

  /// Drives several hyperparameters of `base`, all from the same step.
  ///
  /// - Parameters:
  ///   - base: The rule.
  ///   - targets: (hyperparameter, schedule) pairs.
  /// - Precondition: At least one pair, and the base's hyperparameters are valid
  ///   at step 0. Values out of range at later steps are reported by
  ///   ``validateHyperparameters()`` (which checks where the schedules reach
  ///   their extremes) and by ``Optimiser/checkedUpdate(_:_:_:)``, which throw;
  ///   the plain `update` stops the program with the same message.
  /// - Complexity: O(*k*) for *k* pairs.
  public init(_ base: Base, _ targets: [(WritableKeyPath<Base, Double> & Sendable, S)]) {
    precondition(!targets.isEmpty, "Scheduled: needs at least one (hyperparameter, schedule) pair")
    self.base = base
    self.keyPaths = targets.map(\.0)
    self.schedules = targets.map(\.1)
    do { _ = try checkedBase(at: 0) } catch { preconditionFailure(error.description) }
  }

  /// Drives one hyperparameter of `base` by `schedule`, after checking the
  /// hyperparameters at every step of ``checkedSteps``: the construction that
  /// rejects, with a thrown error, a schedule whose values leave the range —
  /// `LinearSchedule(initial: 0.9, end: 1.5, transitionSteps: 10)` for `beta1`
  /// throws, naming step 10.
  ///
  /// - Parameters:
  ///   - base: The rule.
  ///   - keyPath: The hyperparameter, such as `\.learningRate`.
  ///   - schedule: Its value at each step.
  /// - Throws: ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``
  ///   naming the step.
  /// - Complexity: O(checked steps).
  public init(
    validating base: Base, _ keyPath: WritableKeyPath<Base, Double> & Sendable, by schedule: S
  ) throws(OptimiserError) {
    self.base = base
    self.keyPaths = [keyPath]
    self.schedules = [schedule]
    try validateHyperparameters()
  }

  /// The single schedule (the first, when there are several).
  ///
  /// Use it to advance a metric-driven factor:
  /// `optimiser.schedule.second.advance(with: loss)`.
  ///
  /// - Complexity: O(1).
  @inlinable public var schedule: S {
    get { schedules[0] }
    set { schedules[0] = newValue }
  }

  /// The base rule with every scheduled hyperparameter set for `step`.
  ///
  /// - Parameter step: The number of updates already applied.
  /// - Precondition: The scheduled values are in range for the base rule (use
  ///   ``checkedBase(at:)`` to get an error instead).
  /// - Complexity: O(*k*).
  @inlinable public func base(at step: Int) -> Base {
    do { return try checkedBase(at: step) } catch {
      preconditionFailure("\(error.description); use checkedUpdate to get this as a thrown error")
    }
  }

  /// The base rule with every scheduled hyperparameter set for `step`, or the
  /// error naming the step, the hyperparameter and its value when a scheduled
  /// value is out of the rule's range.
  ///
  /// - Parameter step: The number of updates already applied.
  /// - Throws: ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``
  ///   whose rule reads `Scheduled(Adam) at step 2`.
  /// - Complexity: O(*k*).
  @inlinable
  public func checkedBase(at step: Int) throws(OptimiserError) -> Base {
    guard schedules.count == keyPaths.count else {
      throw .invalidState("Scheduled has \(schedules.count) schedules for \(keyPaths.count) hyperparameters")
    }
    var adjusted = base
    for index in keyPaths.indices {
      adjusted[keyPath: keyPaths[index]] = schedules[index](step)
    }
    try OptimiserError.checkingScheduled(by: "Scheduled", at: step, adjusted.validateHyperparameters)
    return adjusted
  }

  /// The steps at which the hyperparameters are checked when the optimiser is
  /// validated: 0 and every schedule's ``Schedule/checkedSteps``, where the
  /// schedules reach their extremes. Hyperparameter ranges are intervals, so
  /// for a schedule that is monotone between its checked steps, passing them
  /// means passing every step.
  public var checkedSteps: [Int] {
    Array(Set([0] + schedules.flatMap(\.checkedSteps).filter { $0 >= 0 })).sorted()
  }

  /// The step count and the base rule's state.
  ///
  /// - Complexity: Encoding is the base state's cost plus O(1).
  public struct State: Codable, Sendable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<Scheduled>()
    /// The number of updates applied so far; the schedules are read at it.
    public var step: Int
    /// The base rule's state.
    public var base: Base.State

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - base: The base rule's state.
    /// - Complexity: O(1).
    @inlinable public init(step: Int, base: Base.State) {
      self.step = step
      self.base = base
    }
  }

  /// Step 0 and the base rule's initial state.
  ///
  /// - Complexity: The base's cost.
  @inlinable public func initialState(for params: Params) -> State {
    State(step: 0, base: base.initialState(for: params))
  }

  /// Sets the scheduled hyperparameters for the current step, then runs the base
  /// rule's update with `map`.
  ///
  /// - Complexity: O(*k*) plus the base's update.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    let adjusted = base(at: state.step)
    adjusted.update(&state.base, &params, gradient, preprocessing: map)
    state.step += 1
  }

  /// Checks the step, that the scheduled hyperparameters are in range at that
  /// step (so the next update cannot stop the program), the base state, and
  /// that a nested `Scheduled` state counts the same step.
  ///
  /// ``Optimiser/checkedUpdate(_:_:_:)`` calls it before every step, which
  /// turns a schedule that leaves the range mid-run into a thrown error.
  ///
  /// - Complexity: The base's cost.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
    _ = try checkedBase(at: state.step)
    if let inner = state.base as? any ScheduledStepCount, inner.scheduledStep != state.step {
      throw .invalidState(
        "nested Scheduled states count different steps (\(state.step) and \(inner.scheduledStep))")
    }
    try base.validate(state.base, for: params)
  }

  /// Checks the base rule's hyperparameters with the scheduled ones at every
  /// step of ``checkedSteps`` (step 0 and where each schedule reaches its
  /// extremes), so that a schedule whose values leave the range — `beta1`
  /// rising from 0.9 to 1.5 — is rejected before the first step.
  ///
  /// - Throws: ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``
  ///   naming the step.
  /// - Complexity: O(*k* × checked steps).
  public func validateHyperparameters() throws(OptimiserError) {
    for step in checkedSteps { _ = try checkedBase(at: step) }
  }
}

extension Scheduled.State: Equatable where Base.State: Equatable {}

extension Scheduled.State: ScheduledStepCount {
  var scheduledStep: Int { step }
}
