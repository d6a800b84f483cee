/// Something that visits a rule's hyperparameters, each declared once with its
/// range: checking them (``HyperparameterValidating/validateHyperparameters()``) or listing
/// them (``HyperparameterDeclaring/hyperparameterRanges``).
///
/// A rule lists its hyperparameters in
/// ``HyperparameterDeclaring/declareHyperparameters(_:)``, one call per
/// hyperparameter:
///
/// ```swift
/// public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
///   h.nonNegative(learningRate, "learningRate")
///   h.unitInterval(beta1, "beta1")
///   h.positive(epsilon, "epsilon")
/// }
/// ```
///
/// Validation, the error message (naming the rule, the hyperparameter, its
/// value and its range) and the list that test generators draw from all follow.
/// The calls take values, not key paths (a key path into a generic rule is
/// built at run time on every use), and the checking visitor holds only plain
/// values, so a rule's checks inline to a few comparisons and run on every step.
public protocol HyperparameterVisitor {
  /// Declares the hyperparameter `name`, whose value must lie in `range`.
  mutating func declare(_ value: Double, _ name: StaticString, _ range: HyperparameterRange)
  /// Declares a condition relating several hyperparameters, reported as `name`
  /// having `value` where `requirement` ("≥ minimumStep") was expected.
  mutating func require(_ condition: Bool, _ name: StaticString, _ value: Double, _ requirement: StaticString)
  /// Declares an inner rule's hyperparameters (a wrapper's base).
  mutating func include(_ validate: () throws(OptimiserError) -> Void)
  /// Declares that `name` is an option added after the rule's first release,
  /// currently at its default (`isDefault`) or not. A checkpoint description
  /// records such an option only away from its default, so checkpoints written
  /// before the option existed still load (see ``option(_:_:in:)``).
  mutating func addedOption(_ name: StaticString, isDefault: Bool)
}

extension HyperparameterVisitor {
  /// An optional hyperparameter: `nil` means "derived" and is always valid.
  @inlinable
  public mutating func declare(_ value: Double?, _ name: StaticString, _ range: HyperparameterRange) {
    declare(value ?? range.representative, name, range)
  }
  /// Ignores the option: only descriptions ask for it.
  @inlinable public mutating func addedOption(_ name: StaticString, isDefault: Bool) {}
  /// An option added after the rule's first release, off at 0 and otherwise in
  /// `range` (≥ 0 and finite unless given): torch's `weight_decay`, optax's
  /// `eps_root`, `dampening`. Checkpoint descriptions record it only when it is
  /// not 0.
  @inlinable
  public mutating func option(_ value: Double, _ name: StaticString, in range: HyperparameterRange = .nonNegative) {
    declare(value, name, range)
    addedOption(name, isDefault: value == 0)
  }
  /// A switch added after the rule's first release, off by default (`nesterov`,
  /// `biasCorrection`); pass `isOn: case != default` for an enum option.
  /// Checkpoint descriptions record it only when it is on.
  @inlinable public mutating func option(_ isOn: Bool, _ name: StaticString) { addedOption(name, isDefault: !isOn) }
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
}

/// The checking visitor: remembers the first hyperparameter out of range. Its
/// hot fields are plain values, and a flag (not a comparison of the optional
/// inner error with `nil`) says whether anything failed, so a rule's checks
/// inline to comparisons.
@usableFromInline
struct HyperparameterCheck: HyperparameterVisitor {
  @usableFromInline var failed = false
  @usableFromInline var name: StaticString = ""
  @usableFromInline var value = 0.0
  @usableFromInline var range = HyperparameterRange.nonNegative
  @usableFromInline var requirement: StaticString = ""
  @usableFromInline var hasRequirement = false
  @usableFromInline var inner: OptimiserError? = nil

  @inlinable init() {}

  @inlinable @inline(__always)
  mutating func declare(_ value: Double, _ name: StaticString, _ range: HyperparameterRange) {
    if !failed && !range.contains(value) { (failed, self.name, self.value, self.range) = (true, name, value, range) }
  }

  @inlinable @inline(__always)
  mutating func require(_ condition: Bool, _ name: StaticString, _ value: Double, _ requirement: StaticString) {
    if !failed && !condition {
      (failed, self.name, self.value, self.requirement, hasRequirement) = (true, name, value, requirement, true)
    }
  }

  @inlinable
  mutating func include(_ validate: () throws(OptimiserError) -> Void) {
    guard !failed else { return }
    do throws(OptimiserError) { try validate() } catch {
      failed = true
      inner = error
    }
  }

  /// The error for the first failure, naming `rule`.
  @usableFromInline
  func error(rule: String) -> OptimiserError {
    if let inner { return inner }
    let text = hasRequirement ? String(describing: requirement) : range.requirement
    return .invalidHyperparameter(rule: rule, name: String(describing: name), value: value, requirement: text)
  }
}

/// The listing visitor.
struct HyperparameterList: HyperparameterVisitor {
  var declarations: [HyperparameterRange.Declaration] = []

  mutating func declare(_ value: Double, _ name: StaticString, _ range: HyperparameterRange) {
    declarations.append(.init(name: String(describing: name), range: range))
  }

  mutating func require(_ condition: Bool, _ name: StaticString, _ value: Double, _ requirement: StaticString) {}
  mutating func include(_ validate: () throws(OptimiserError) -> Void) {}
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

  /// Throws ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``
  /// unless `value` lies in the range: the check for code that validates one
  /// value at a time rather than through a ``HyperparameterVisitor``.
  @inlinable
  public func check(_ value: Double, _ name: String, in rule: String) throws(OptimiserError) {
    if !contains(value) { throw .invalidHyperparameter(rule: rule, name: name, value: value, requirement: requirement) }
  }

  /// A value inside the range (what an absent optional hyperparameter is
  /// checked as).
  @inlinable
  public var representative: Double {
    if includesLowerBound { return lowerBound }
    if upperBound.isFinite { return includesUpperBound ? upperBound : (lowerBound + upperBound) / 2 }
    return lowerBound + 1
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
/// Declaring them gives ``HyperparameterValidating/validateHyperparameters()`` (and so the
/// initialiser's check and the per-step check) and ``hyperparameterRanges``.
public protocol HyperparameterDeclaring {
  /// Declares every hyperparameter with its range, in order.
  func declareHyperparameters(_ h: inout some HyperparameterVisitor)
}

extension HyperparameterDeclaring {
  /// Throws ``OptimiserError/invalidHyperparameter(rule:name:value:requirement:)``
  /// for the first declared hyperparameter out of its range.
  @inlinable
  public func validateHyperparameters() throws(OptimiserError) {
    var check = HyperparameterCheck()
    declareHyperparameters(&check)
    if check.failed { throw check.error(rule: RuleTag<Self>.name) }
  }

  /// The declared hyperparameters and their ranges, in order: what a test
  /// generator draws from.
  public var hyperparameterRanges: [HyperparameterRange.Declaration] {
    var list = HyperparameterList()
    declareHyperparameters(&list)
    return list.declarations
  }
}
