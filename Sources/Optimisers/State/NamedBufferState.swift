/// The state of a rule whose buffers are all shaped like the parameters: the
/// step count and one buffer per name the rule declares.
///
/// A rule names its buffers once and takes this as its state; the library
/// derives the zero start, the walk's buffer order, validation, equality and
/// the checkpoint layout (the names are the keys, exactly as stored properties
/// of those names would encode):
///
/// ```swift
/// struct Adan<Params: Differentiable>: KernelRule, BufferNaming {
///   static var bufferNames: [StaticString] { ["firstMoment", "differenceMoment", "secondMoment", "previousGradient"] }
///   typealias State = NamedBufferState<Params, Adan>
///   …  // the kernel reads b[0] … b[3] in that order
/// }
/// ```
///
/// Read a buffer by position (``subscript(_:)``, in the kernel's order) or by
/// name (``buffer(named:)``).
///
/// - Complexity: Encoding, decoding and ``BufferedState/validate(for:)`` are
///   O(*n*) and O(leaves × buffers).
public struct NamedBufferState<Params: Differentiable, Rule: BufferNaming>: ZeroStartingState, Equatable {
  /// The number of updates applied so far.
  public var step: Int
  /// The buffers, in the order of `Rule.bufferNames`.
  @usableFromInline var storage: [Params.TangentVector]

  /// A state from its parts: the step count and one buffer per name, in order.
  ///
  /// - Throws: ``OptimiserError/invalidState(_:)`` when the number of buffers
  ///   differs from the number of names.
  public init(step: Int, buffers: [Params.TangentVector]) throws(OptimiserError) {
    guard buffers.count == Rule.bufferNames.count else {
      throw .invalidState(Self.countMessage(buffers.count))
    }
    (self.step, storage) = (step, buffers)
  }

  /// A state from buffers already known to be one per name.
  @inlinable init(step: Int, checked buffers: [Params.TangentVector]) { (self.step, storage) = (step, buffers) }

  /// Step 0 and every buffer zero, shaped like `params`.
  @inlinable public init(zerosLike params: Params) {
    (step, storage) = (0, Array(repeating: params.zeroTangentVector, count: Rule.bufferNames.count))
  }

  /// The buffers, in the order of `Rule.bufferNames`.
  @inlinable public var buffers: [Params.TangentVector] { storage }

  /// The buffer at `index` in the order of `Rule.bufferNames`.
  @inlinable public subscript(index: Int) -> Params.TangentVector {
    get { storage[index] }
    set { storage[index] = newValue }
  }

  /// The buffer called `name`, or `nil` when the rule has no buffer of that name.
  public func buffer(named name: String) -> Params.TangentVector? {
    Rule.bufferNames.firstIndex { "\($0)" == name }.map { storage[$0] }
  }

  /// Every buffer, in order, with its name.
  @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
    let names = Rule.bufferNames
    for k in storage.indices { visitor.visit(&storage[k], names[k]) }
  }

  static func countMessage(_ count: Int) -> String {
    "\(RuleTag<Rule>.name) keeps \(Rule.bufferNames.count) buffers (\(Rule.bufferNames.map { "\($0)" }.joined(separator: ", "))), not \(count)"
  }
}

/// A rule (or transform) that names the buffers of its ``NamedBufferState``.
public protocol BufferNaming {
  /// The buffers' names, in the order the kernel indexes them (`b[0]`, `b[1]`,
  /// …); they key the buffers in checkpoints and name them in errors.
  static var bufferNames: [StaticString] { get }
}

extension NamedBufferState: Codable {
  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Decodes the rule's name (refusing any other), the step and each named buffer.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    _ = try container.decode(RuleTag<Rule>.self, forKey: Key(stringValue: "rule"))
    step = try container.decode(Int.self, forKey: Key(stringValue: "step"))
    storage = try Rule.bufferNames.map { try container.decode(Params.TangentVector.self, forKey: Key(stringValue: "\($0)")) }
  }

  /// Encodes the rule's name, the step and each buffer under its name, in
  /// that order (the layout of a struct with those stored properties).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    try container.encode(RuleTag<Rule>(), forKey: Key(stringValue: "rule"))
    try container.encode(step, forKey: Key(stringValue: "step"))
    for (name, buffer) in zip(Rule.bufferNames, storage) { try container.encode(buffer, forKey: Key(stringValue: "\(name)")) }
  }
}
