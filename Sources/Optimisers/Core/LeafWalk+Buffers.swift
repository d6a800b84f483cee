/// Walks over separately held buffers: the form for code that keeps its buffers
/// outside a ``BufferedState`` (wrappers with a buffer or two of their own).
///
/// Each runs the same gathered, threaded walk as ``LeafWalk/walk(_:_:_:preprocessing:_:)``,
/// with the buffers moved into a temporary state for the call (no copy).
extension LeafWalk {
  /// The buffers of a ``forEachLeaf(_:_:_:)``-style call, moved in for the walk.
  @usableFromInline
  struct HeldBuffers<P: Differentiable>: BufferedState {
    @usableFromInline typealias Params = P
    @usableFromInline var step = 0
    @usableFromInline var first: P.TangentVector?
    @usableFromInline var second: P.TangentVector?
    /// The buffers' names in error messages.
    @usableFromInline var names: (StaticString, StaticString) = ("first", "second")
    @usableFromInline enum CodingKeys: CodingKey { case step, first, second }

    @inlinable init(names: (StaticString, StaticString) = ("first", "second")) { self.names = names }

    @inlinable
    mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      if first != nil { visitor.visit(&first!, names.0) }
      if second != nil { visitor.visit(&second!, names.1) }
    }

    /// Moves `buffers` in (leaving placeholders), in order.
    @inlinable
    mutating func hold(_ a: inout P.TangentVector, _ b: inout P.TangentVector? ) {
      first = .zero
      swap(&first!, &a)
      if b != nil {
        second = .zero
        swap(&second!, &b!)
      }
    }

    /// Moves them back.
    @inlinable
    mutating func release(_ a: inout P.TangentVector, _ b: inout P.TangentVector?) {
      swap(&first!, &a)
      if b != nil { swap(&second!, &b!) }
    }
  }

  @usableFromInline typealias Pointer<P: Differentiable> = UnsafeMutableBufferPointer<P.TangentVector.Scalar>
  @usableFromInline typealias Reader<P: Differentiable> = UnsafeBufferPointer<P.TangentVector.Scalar>

  @inlinable
  static func withHeld<P: Differentiable>(
    _ params: inout P, _ gradient: P.TangentVector, _ held: inout HeldBuffers<P>, whole: Bool,
    _ body: @Sendable (Int, Pointer<P>, Reader<P>, Block<P.TangentVector.Scalar, IdentityGradientMap>) -> Void
  ) {
    walk(&params, gradient, &held, preprocessing: IdentityGradientMap()) { (walk: Walk<P, HeldBuffers<P>, IdentityGradientMap>) in
      let kernel: @Sendable (Block<P.TangentVector.Scalar, IdentityGradientMap>) -> Void = { b in
        body(b.leaf, Pointer<P>(start: b.p, count: b.count), Reader<P>(start: b.rawGradient, count: b.count), b)
      }
      if whole { walk.wholeLeaves(kernel) } else { walk(kernel) }
    }
  }

  /// Walks parameters and gradient in lockstep, for an **elementwise** update:
  /// `body` may get a block of a leaf and may run on several threads at once
  /// (see ``Walk``).
  @inlinable
  public static func forEachLeaf<P: Differentiable>(
    _ params: inout P, _ gradient: P.TangentVector,
    _ body: @Sendable (Int, UnsafeMutableBufferPointer<P.TangentVector.Scalar>, UnsafeBufferPointer<P.TangentVector.Scalar>) -> Void
  ) {
    var held = HeldBuffers<P>()
    withHeld(&params, gradient, &held, whole: false) { leaf, p, g, _ in body(leaf, p, g) }
  }

  /// Walks parameters, gradient and one buffer in lockstep, for an
  /// **elementwise** update (see ``forEachLeaf(_:_:_:)``).
  @inlinable
  public static func forEachLeaf<P: Differentiable>(
    _ params: inout P, _ gradient: P.TangentVector, _ first: inout P.TangentVector,
    _ body: @Sendable (Int, UnsafeMutableBufferPointer<P.TangentVector.Scalar>, UnsafeBufferPointer<P.TangentVector.Scalar>,
                       UnsafeMutableBufferPointer<P.TangentVector.Scalar>) -> Void
  ) {
    var held = HeldBuffers<P>(), none: P.TangentVector? = nil
    held.hold(&first, &none)
    defer { held.release(&first, &none) }
    withHeld(&params, gradient, &held, whole: false) { leaf, p, g, b in body(leaf, p, g, Pointer<P>(start: b[0], count: b.count)) }
  }

  /// Walks parameters, gradient and two buffers in lockstep, for an
  /// **elementwise** update (see ``forEachLeaf(_:_:_:)``).
  @inlinable
  public static func forEachLeaf<P: Differentiable>(
    _ params: inout P, _ gradient: P.TangentVector,
    _ first: inout P.TangentVector, _ second: inout P.TangentVector,
    _ body: @Sendable (Int, UnsafeMutableBufferPointer<P.TangentVector.Scalar>, UnsafeBufferPointer<P.TangentVector.Scalar>,
                       UnsafeMutableBufferPointer<P.TangentVector.Scalar>, UnsafeMutableBufferPointer<P.TangentVector.Scalar>) -> Void
  ) {
    var held = HeldBuffers<P>(), other: P.TangentVector? = P.TangentVector.zero
    swap(&other!, &second)
    held.hold(&first, &other)
    defer {
      held.release(&first, &other)
      swap(&other!, &second)
    }
    withHeld(&params, gradient, &held, whole: false) { leaf, p, g, b in
      body(leaf, p, g, Pointer<P>(start: b[0], count: b.count), Pointer<P>(start: b[1], count: b.count))
    }
  }

  /// Walks whole leaves of parameters and gradient, in order, on the calling
  /// thread: for per-leaf reductions.
  @inlinable
  public static func forEachWholeLeaf<P: Differentiable>(
    _ params: inout P, _ gradient: P.TangentVector,
    _ body: (Int, UnsafeMutableBufferPointer<P.TangentVector.Scalar>, UnsafeBufferPointer<P.TangentVector.Scalar>) -> Void
  ) {
    var held = HeldBuffers<P>()
    withoutActuallyEscaping(body) { body in
      let sendable = UncheckedSendable(body)
      withHeld(&params, gradient, &held, whole: true) { leaf, p, g, _ in sendable.value(leaf, p, g) }
    }
  }
}

/// A value carried into a `@Sendable` closure that the caller knows runs on its
/// own thread (the whole-leaf walks).
extension LeafWalk {
  /// Runs an elementwise kernel over the parameters, the mapped gradient and
  /// one more buffer shaped like the parameters (`b[0]`), with the walk's
  /// tensor fast path and threads — for wrappers that keep a parameter-shaped
  /// copy (an accumulator, an average, slow weights) beside a base rule's state.
  ///
  /// - Parameters:
  ///   - params: The parameters, `b.p` in the kernel.
  ///   - gradient: The gradient, read through `map` (`b.gradient(i)`).
  ///   - buffer: The parameter-shaped buffer, `b[0]`.
  ///   - name: The buffer's name in error messages.
  ///   - map: The gradient map of the chain around the wrapper.
  ///   - kernel: The elementwise kernel, run once per block.
  /// - Precondition: The gradient and the buffer have the parameters' shapes;
  ///   otherwise the call stops with a message naming the buffer and the leaf.
  /// - Complexity: O(*n*), split across threads for large steps.
  @inlinable
  public static func forEachBlock<P: Differentiable, Map: GradientMap>(
    _ params: inout P, _ gradient: P.TangentVector, _ buffer: inout P.TangentVector, named name: StaticString,
    preprocessing map: Map, _ kernel: @Sendable (Block<P.TangentVector.Scalar, Map>) -> Void
  ) {
    var held = HeldBuffers<P>(names: (name, "unused")), none: P.TangentVector? = nil
    held.hold(&buffer, &none)
    defer { held.release(&buffer, &none) }
    walk(&params, gradient, &held, preprocessing: map) { walk in walk(kernel) }
  }
}

@usableFromInline
struct UncheckedSendable<Value>: @unchecked Sendable {
  @usableFromInline let value: Value
  @inlinable init(_ value: Value) { self.value = value }
}
