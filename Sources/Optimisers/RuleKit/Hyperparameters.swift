/// A rule's hyperparameters, each declared once with its range.
///
/// A rule lists its hyperparameters in ``HyperparameterDeclaring/declareHyperparameters(_:)``,
/// one call per hyperparameter; validation, the error message (rule, name, value,
/// range) and the list of ranges that test generators draw from all follow:
///
/// ```swift
/// public func declareHyperparameters(_ h: inout Hyperparameters<Self>) {
///   h.nonNegative(learningRate, "learningRate")
///   h.unitInterval(beta1, "beta1")
///   h.positive(epsilon, "epsilon")
/// }
/// ```
///
/// The rule's name in messages is its type's name without generic arguments.
/// The checks take values, not key paths (a key path into a generic rule is
/// built at run time on every use), so they inline to a few comparisons and
/// rules run them on every step.
public struct Hyperparameters<Rule> {
  @usableFromInline var recording: Bool
  @usableFromInline var error: OptimiserError?
  @usableFromInline var declarations: [HyperparameterRange.Declaration] = []

  /// The first hyperparameter found out of range, if any.
  public var firstError: OptimiserError? { error }
  /// Every declared hyperparameter in declaration order (filled in when listing).
  public var declared: [HyperparameterRange.Declaration] { declarations }

  @inlinable init(recording: Bool) {
    self.recording = recording
  }

  /// Checks that `value`, the hyperparameter `name`, lies in `range`.
  @inlinable
  public mutating func declare(_ value: Double, _ name: StaticString, _ range: HyperparameterRange) {
    if recording { record(name, range) }
    if error == nil && !range.contains(value) { fail(name, value, range) }
  }

  /// Checks an optional hyperparameter (`nil` means "derived", and is always valid).
  @inlinable
  public mutating func declare(_ value: Double?, _ name: StaticString, _ range: HyperparameterRange) {
    if recording { record(name, range) }
    if let value, error == nil, !range.contains(value) { fail(name, value, range) }
  }

  /// Checks a condition that relates several hyperparameters.
  ///
  /// - Parameters:
  ///   - condition: What must hold.
  ///   - name: The hyperparameter the message names.
  ///   - value: Its value.
  ///   - requirement: What it must be ("≤ maximumRate").
  @inlinable
  public mutating func require(
    _ condition: Bool, _ name: StaticString, _ value: Double, _ requirement: @autoclosure () -> String
  ) {
    if error == nil && !condition { fail(String(describing: name), value, requirement()) }
  }

  /// Checks an inner rule's hyperparameters (a wrapper's base), in order.
  @inlinable
  public mutating func include(_ validate: () throws(OptimiserError) -> Void) {
    guard error == nil else { return }
    do throws(OptimiserError) { try validate() } catch let thrown { self.error = thrown }
  }

  /// ≥ 0, finite.
  @inlinable public mutating func nonNegative(_ value: Double, _ name: StaticString) { declare(value, name, .nonNegative) }
  /// > 0, finite.
  @inlinable public mutating func positive(_ value: Double, _ name: StaticString) { declare(value, name, .positive) }
  /// In [0, 1).
  @inlinable public mutating func unitInterval(_ value: Double, _ name: StaticString) { declare(value, name, .unitInterval) }
  /// In [0, 1].
  @inlinable public mutating func closedUnitInterval(_ value: Double, _ name: StaticString) {
    declare(value, name, .closedUnitInterval)
  }
  /// ≥ 0, finite, or `nil`.
  @inlinable public mutating func nonNegative(_ value: Double?, _ name: StaticString) { declare(value, name, .nonNegative) }
  /// > 0, finite, or `nil`.
  @inlinable public mutating func positive(_ value: Double?, _ name: StaticString) { declare(value, name, .positive) }

  @usableFromInline
  mutating func fail(_ name: StaticString, _ value: Double, _ range: HyperparameterRange) {
    fail(String(describing: name), value, range.requirement)
  }

  @usableFromInline
  mutating func fail(_ name: String, _ value: Double, _ requirement: String) {
    error = .invalidHyperparameter(rule: RuleTag<Rule>.name, name: name, value: value, requirement: requirement)
  }

  @usableFromInline
  mutating func record(_ name: StaticString, _ range: HyperparameterRange) {
    declarations.append(.init(name: String(describing: name), range: range))
  }
}

/// The range a hyperparameter must lie in.
public struct HyperparameterRange: Sendable, Hashable {
  /// The smallest allowed value.
  public var lowerBound: Double
  /// The largest allowed value.
  public var upperBound: Double
  /// Whether `lowerBound` itself is allowed.
  public var includesLowerBound: Bool
  /// Whether `upperBound` itself is allowed.
  public var includesUpperBound: Bool

  /// A range from its bounds; infinite bounds are never included (values are finite).
  public init(_ lowerBound: Double, _ upperBound: Double, includesLowerBound: Bool = true, includesUpperBound: Bool = true) {
    self.lowerBound = lowerBound
    self.upperBound = upperBound
    self.includesLowerBound = includesLowerBound && lowerBound.isFinite
    self.includesUpperBound = includesUpperBound && upperBound.isFinite
  }

  /// [0, ∞): learning rates, weight decays, decay coefficients.
  public static let nonNegative = HyperparameterRange(0, .infinity)
  /// (0, ∞): ε and other guards.
  public static let positive = HyperparameterRange(0, .infinity, includesLowerBound: false)
  /// [0, 1): decay rates β.
  public static let unitInterval = HyperparameterRange(0, 1, includesUpperBound: false)
  /// [0, 1]: mixing weights.
  public static let closedUnitInterval = HyperparameterRange(0, 1)

  /// Whether `value` is allowed (NaN never is).
  @inlinable
  public func contains(_ value: Double) -> Bool {
    (includesLowerBound ? value >= lowerBound : value > lowerBound)
      && (includesUpperBound ? value <= upperBound : value < upperBound)
  }

  /// The requirement as the error message words it: "finite and ≥ 0", "in [0, 1)".
  public var requirement: String {
    switch (lowerBound.isFinite, upperBound.isFinite) {
    case (true, false): return "finite and \(includesLowerBound ? "≥" : ">") \(Self.format(lowerBound))"
    case (false, true): return "finite and \(includesUpperBound ? "≤" : "<") \(Self.format(upperBound))"
    case (false, false): return "finite"
    case (true, true):
      return "in \(includesLowerBound ? "[" : "(")\(Self.format(lowerBound)), \(Self.format(upperBound))\(includesUpperBound ? "]" : ")")"
    }
  }

  static func format(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(describing: x)
  }

  /// One declared hyperparameter: its name and range.
  public struct Declaration: Sendable, Hashable {
    /// The name, as in error messages and checkpoints (`learningRate`).
    public var name: String
    /// Its range.
    public var range: HyperparameterRange
  }
}

/// A rule whose hyperparameters are declared in one place.
///
/// Declaring them gives ``Optimiser/validateHyperparameters()`` (and so the
/// initialiser's check and the per-step check) and ``hyperparameterRanges``.
public protocol HyperparameterDeclaring {
  /// Declares every hyperparameter with its range, in order.
  func declareHyperparameters(_ h: inout Hyperparameters<Self>)
}

extension HyperparameterDeclaring {
  /// Throws ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``
  /// for the first declared hyperparameter out of its range.
  @inlinable
  public func validateHyperparameters() throws(OptimiserError) {
    var h = Hyperparameters<Self>(recording: false)
    declareHyperparameters(&h)
    if let error = h.firstError { throw error }
  }

  /// The declared hyperparameters and their ranges, in order: what a test
  /// generator draws from.
  public var hyperparameterRanges: [HyperparameterRange.Declaration] {
    var h = Hyperparameters<Self>(recording: true)
    declareHyperparameters(&h)
    return h.declared
  }
}
