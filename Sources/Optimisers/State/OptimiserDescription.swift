/// The structure and hyperparameters of an optimiser, as recorded in a
/// ``Checkpoint``: a rule or wrapper name, its numeric hyperparameters, and its
/// components (nested rules, transforms, schedules), recursively.
///
/// ```swift
/// let description = OptimiserDescription(describing: Adam<Tensor<Double>>(learningRate: 0.01))
/// // Adam(learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-08, decay: 0.0)
/// ```
///
/// Restoring a checkpoint compares the optimiser's description with the
/// recorded one and throws ``CheckpointError`` at the first difference, naming
/// the path (`Chain/members.1`), the rule or the hyperparameter and both values.
///
/// - Complexity: Building and comparing are O(size of the structure).
/// - References: Optimisers.jl, `Base.show` of a rule tree, 2021; PyTorch's
///   `Optimizer.state_dict()["param_groups"]`, which records hyperparameters
///   next to the buffers.
public struct OptimiserDescription: Codable, Sendable, Hashable, CustomStringConvertible {
  /// A named numeric hyperparameter.
  ///
  /// - Complexity: O(1).
  public struct Setting: Codable, Sendable, Hashable {
    /// The stored property's name (`learningRate`), dotted when nested in a
    /// tuple or collection (`members.0`).
    public var name: String
    /// Its value; integers and Booleans are recorded as numbers.
    public var value: Double

    /// Creates a setting.
    ///
    /// - Parameters:
    ///   - name: The hyperparameter's name.
    ///   - value: Its value.
    /// - Complexity: O(1).
    public init(name: String, value: Double) {
      self.name = name
      self.value = value
    }

    enum CodingKeys: String, CodingKey { case name, value }

    /// Decodes a setting; the value may be a number or one of
    /// the strings `"Infinity"`, `"-Infinity"`, `"-0"`, `"NaN"` or `"NaN:0x…"`.
    ///
    /// - Throws: `DecodingError` when a field is missing or not a number.
    /// - Complexity: O(1).
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      name = try container.decode(String.self, forKey: .name)
      if let text = try? container.decode(String.self, forKey: .value) {
        guard let special = ExactScalarText.double(from: text) else {
          throw DecodingError.dataCorruptedError(
            forKey: .value, in: container, debugDescription: "'\(text)' is not a number")
        }
        value = special
      } else {
        value = try container.decode(Double.self, forKey: .value)
      }
    }

    /// Encodes the setting so that a plain `JSONEncoder` accepts ∞ and NaN and
    /// keeps −0 (as the strings above).
    ///
    /// - Complexity: O(1).
    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(name, forKey: .name)
      if let text = ExactScalarText.text(for: value) {
        try container.encode(text, forKey: .value)
      } else {
        try container.encode(value, forKey: .value)
      }
    }
  }

  /// A nested rule, transform or schedule, under the name of the property that
  /// holds it.
  ///
  /// - Complexity: O(1).
  public struct Component: Codable, Sendable, Hashable {
    /// The stored property's name (`base`, `members.1`, `schedule`).
    public var label: String
    /// The component's own description.
    public var description: OptimiserDescription

    /// Creates a component.
    ///
    /// - Parameters:
    ///   - label: The property's name.
    ///   - description: The component.
    /// - Complexity: O(1).
    public init(label: String, description: OptimiserDescription) {
      self.label = label
      self.description = description
    }
  }

  /// The type's name without generic arguments (`Adam`, `Chain`).
  public var name: String
  /// The numeric hyperparameters, in declaration order.
  public var hyperparameters: [Setting]
  /// The nested components, in declaration order.
  public var components: [Component]

  /// Creates a description.
  ///
  /// - Parameters:
  ///   - name: The rule's or wrapper's name.
  ///   - hyperparameters: Its numeric hyperparameters; default none.
  ///   - components: Its nested rules, transforms and schedules; default none.
  /// - Complexity: O(1).
  public init(name: String, hyperparameters: [Setting] = [], components: [Component] = []) {
    self.name = name
    self.hyperparameters = hyperparameters
    self.components = components
  }

  /// The description of any value: its ``CheckpointDescribable`` description if
  /// it has one, otherwise one built by reflection.
  ///
  /// Reflection records every stored number and `Bool` as a hyperparameter and
  /// every stored struct or enum as a component, and every key path as a
  /// component named after it (`\Adam.learningRate`); tuples, arrays and
  /// optionals are looked through (their elements are named `members.0`,
  /// `members.1`); strings, other classes and dictionaries are left out.
  ///
  /// - Parameter value: A rule, wrapper, transform or schedule.
  /// - Complexity: O(size of the structure).
  public init(describing value: Any) {
    self = OptimiserDescription.describe(value, depth: 0, params: nil)
  }

  /// The description of `value` for `params`: as ``init(describing:)``, and
  /// every ``LeafSelector`` inside it (the choice of a ``Partition``, a
  /// ``Masked`` transform, a masked weight decay) recorded as the names of the
  /// leaves of `params` it selects, so that restoring under another selection
  /// is an error (``CheckpointError/selectionMismatch(path:expected:found:)``).
  ///
  /// - Parameters:
  ///   - value: A rule, wrapper, transform or schedule.
  ///   - params: The parameters the optimiser trains.
  /// - Complexity: O(size of the structure + leaves × selectors).
  public init<P: Differentiable>(describing value: Any, for params: P) {
    self = OptimiserDescription.describe(value, depth: 0, params: params)
  }

  static let maximumDepth = 12

  static func describe(_ value: Any, depth: Int, params: (any Differentiable)?) -> OptimiserDescription {
    if let custom = value as? any CheckpointDescribable { return custom.checkpointDescription }
    if let wrapper = value as? any DistributedWrapper { return describe(wrapper.describedRule, depth: depth, params: params) }
    if let selector = value as? LeafSelector {
      return OptimiserDescription(name: LeafSelection.name(of: selector, for: params))
    }
    if let declaring = value as? any HyperparameterDeclaring {
      return reflecting(declared: declaring, depth: depth, params: params)
    }
    return reflecting(value, depth: depth, params: params)
  }

  /// Every stored number of `value` as a hyperparameter and every stored struct
  /// or enum as a component.
  static func reflecting(_ value: Any, depth: Int, params: (any Differentiable)?) -> OptimiserDescription {
    let mirror = Mirror(reflecting: value)
    var result = OptimiserDescription(name: typeName(of: value))
    if mirror.displayStyle == .enum {
      // A case without payload (a mode); a payload's values follow as usual.
      result.name += "." + caseName(of: value)
    }
    collect(mirror, prefix: "", into: &result, depth: depth, params: params)
    return result
  }

  static func collect(
    _ mirror: Mirror, prefix: String, into result: inout OptimiserDescription, depth: Int,
    params: (any Differentiable)?
  ) {
    guard depth < maximumDepth else { return }
    var position = 0
    for child in mirror.children {
      defer { position += 1 }
      let label = prefix + (child.label.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 } ?? "\(position)")
      if let number = numericValue(child.value) {
        result.hyperparameters.append(Setting(name: label, value: number))
        continue
      }
      if let keyPath = child.value as? AnyKeyPath {
        // Which hyperparameter a wrapper drives: `\Adam.learningRate`.
        result.components.append(Component(label: label, description: OptimiserDescription(name: keyPathName(keyPath))))
        continue
      }
      let childMirror = Mirror(reflecting: child.value)
      switch childMirror.displayStyle {
      case .tuple?, .collection?, .optional?:
        collect(childMirror, prefix: label + ".", into: &result, depth: depth + 1, params: params)
      case .struct?, .enum?:
        result.components.append(
          Component(label: label, description: describe(child.value, depth: depth + 1, params: params)))
      default:
        break  // classes (key paths), dictionaries, sets, strings
      }
    }
  }

  static func numericValue(_ value: Any) -> Double? {
    switch value {
    case let x as Double: return x
    case let x as Float: return Double(x)
    case let x as Int: return Double(x)
    case let x as Int64: return Double(x)
    case let x as Int32: return Double(x)
    case let x as UInt64: return Double(x)
    case let x as UInt32: return Double(x)
    case let x as UInt: return Double(x)
    case let x as Bool: return x ? 1 : 0
    default: return nil
    }
  }

  /// A key path's rendering without generic arguments: `\Adam.learningRate`.
  static func keyPathName(_ keyPath: AnyKeyPath) -> String {
    withoutGenericArguments("\(keyPath)")
  }

  /// The type's name with every generic argument list removed:
  /// `Chain<Pair<A, B>>.Mode` becomes `Chain.Mode`.
  static func typeName(of value: Any) -> String {
    withoutGenericArguments(String(describing: type(of: value)))
  }

  static func withoutGenericArguments(_ text: String) -> String {
    var name = ""
    var nesting = 0
    for character in text {
      if character == "<" {
        nesting += 1
      } else if character == ">" {
        nesting -= 1
      } else if nesting == 0 {
        name.append(character)
      }
    }
    return name
  }

  static func caseName(of value: Any) -> String {
    let text = String(describing: value)
    return String(text.prefix { $0 != "(" })
  }

  /// The first difference between this (expected) description and `found`, as
  /// the error that names it, or `nil` when they agree.
  ///
  /// - Parameters:
  ///   - found: The description recorded in a checkpoint.
  ///   - compareValues: Whether hyperparameter values must agree; names and
  ///     structure are compared either way.
  /// - Complexity: O(size of the structure).
  public func firstDifference(from found: OptimiserDescription, compareValues: Bool = true) -> CheckpointError? {
    difference(from: found, path: name, compareValues: compareValues)
  }

  func difference(from found: OptimiserDescription, path: String, compareValues: Bool) -> CheckpointError? {
    if LeafSelection.isSelector(name) || LeafSelection.isSelector(found.name) {
      // A selection has no hyperparameters or components: its name is all of it.
      return LeafSelection.difference(expected: name, found: found.name, path: path)
    }
    guard name == found.name else { return .ruleMismatch(path: path, expected: name, found: found.name) }
    let expectedNames = hyperparameters.map(\.name), foundNames = found.hyperparameters.map(\.name)
    if expectedNames != foundNames {
      let missing = expectedNames.filter { !foundNames.contains($0) }
      let extra = foundNames.filter { !expectedNames.contains($0) }
      return .structureMismatch(
        path: path,
        message: "hyperparameters \(expectedNames) differ from the checkpoint's \(foundNames)"
          + (missing.isEmpty ? "" : "; missing from the checkpoint: \(missing)")
          + (extra.isEmpty ? "" : "; only in the checkpoint: \(extra)"))
    }
    if compareValues {
      for (mine, theirs) in zip(hyperparameters, found.hyperparameters) {
        let same = mine.value == theirs.value || (mine.value.isNaN && theirs.value.isNaN)
        if !same {
          return .hyperparameterMismatch(path: path, name: mine.name, expected: mine.value, found: theirs.value)
        }
      }
    }
    let expectedLabels = components.map(\.label), foundLabels = found.components.map(\.label)
    if expectedLabels != foundLabels {
      return .structureMismatch(
        path: path, message: "components \(expectedLabels) differ from the checkpoint's \(foundLabels)")
    }
    for (mine, theirs) in zip(components, found.components) {
      if let difference = mine.description.difference(
        from: theirs.description, path: path + "/" + mine.label, compareValues: compareValues)
      {
        return difference
      }
    }
    return nil
  }

  /// `Name(setting: value, …, component: Name(…))`.
  ///
  /// - Complexity: O(size of the structure).
  public var description: String {
    let parts = hyperparameters.map { "\($0.name): \($0.value)" }
      + components.map { "\($0.label): \($0.description.description)" }
    return parts.isEmpty ? name : "\(name)(\(parts.joined(separator: ", ")))"
  }
}
