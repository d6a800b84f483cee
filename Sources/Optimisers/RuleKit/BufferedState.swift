/// An optimiser state made of a step count and named buffers, each shaped like
/// the parameters.
///
/// A state lists its buffers once, in ``forEachBuffer(_:)``; the library then
/// walks them with the parameters (``Walk``), validates them against the
/// parameters (``validate(for:)``), and names them in errors.
///
/// ```swift
/// public mutating func forEachBuffer(_ visitor: inout some BufferVisitor) {
///   visitor.visit(&firstMoment, "firstMoment")
///   visitor.visit(&secondMoment, "secondMoment")
/// }
/// ```
///
/// Buffers may be optional (a momentum buffer that exists only when momentum
/// > 0) and may have a scalar type other than the parameters'.
public protocol BufferedState<Params>: Codable, Sendable {
  /// The parameters the buffers are shaped like.
  associatedtype Params: Differentiable
  /// The number of steps taken.
  var step: Int { get set }
  /// Visits every buffer, in the order a kernel indexes them.
  mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor)
}

/// Something that visits a state's buffers in order.
public protocol BufferVisitor {
  /// Visits a buffer.
  mutating func visit<V: VectorSpace>(_ buffer: inout V, _ name: StaticString)
  /// Visits an optional buffer; `nil` keeps its place in the order.
  mutating func visit<V: VectorSpace>(_ buffer: inout V?, _ name: StaticString)
  /// Called for an absent optional buffer, in its place in the order.
  mutating func skip(_ name: StaticString)
}

extension BufferVisitor {
  @inlinable
  public mutating func visit<V: VectorSpace>(_ buffer: inout V?, _ name: StaticString) {
    if buffer != nil { visit(&buffer!, name) } else { skip(name) }
  }

  /// Called for an absent optional buffer; by default nothing happens.
  @inlinable public mutating func skip(_ name: StaticString) {}
}

extension BufferedState {
  /// Checks the step count and every buffer's leaf count and shapes.
  ///
  /// - Throws: ``OptimiserError`` naming the buffer, the leaf and both shapes.
  /// - Complexity: O(leaves × buffers).
  public func validate(for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: step)
    var copy = self
    var validator = ShapeValidator(params: params)
    copy.forEachBuffer(&validator)
    if let error = validator.error { throw error }
  }

  /// The number of buffers, present or not.
  @inlinable public var bufferCount: Int {
    var copy = self
    var counter = BufferCounter()
    copy.forEachBuffer(&counter)
    return counter.count
  }
}

@usableFromInline
struct BufferCounter: BufferVisitor {
  @usableFromInline var count = 0
  @inlinable init() {}
  @inlinable mutating func visit<V: VectorSpace>(_ buffer: inout V, _ name: StaticString) { count += 1 }
  @inlinable mutating func skip(_ name: StaticString) { count += 1 }
}

struct ShapeValidator<Params: Differentiable>: BufferVisitor {
  let params: Params
  var error: OptimiserError?

  mutating func visit<V: VectorSpace>(_ buffer: inout V, _ name: StaticString) {
    guard error == nil else { return }
    do throws(OptimiserError) {
      try LeafWalk.validate(buffer, named: "\(name)", for: params)
    } catch {
      self.error = error
    }
  }
}
