/// Walks parameters, their gradient and an optimiser's state buffers **in
/// lockstep**, one leaf at a time, handing a rule the contiguous scalars of every
/// buffer at once so it can update them all in one fused pass.
///
/// ```swift
/// LeafWalk.forEachLeaf(&params, gradient, &state.velocity) { leaf, p, g, v in
///   for i in 0..<p.count { v[i] = momentum * v[i] + g[i]; p[i] -= rate * v[i] }
/// }
/// ```
///
/// The walk checks, once per call, that the gradient's leaf shapes match the
/// parameters' (stopping with a message naming both), and that every state buffer
/// has the same leaf count and element counts. A gradient with no leaves
/// (``Tangent/zero``) is read as zeros of the parameters' shapes.
///
/// - Complexity: O(leaves) for the checks plus the cost of `body` on every leaf.
/// - References: Kingma and Ba, *Adam*, 2015, Algorithm 1 (the elementwise
///   update that fuses); NVIDIA Apex `multi_tensor_apply`, 2018 (fused
///   multi-buffer kernels).
public enum LeafWalk {
  /// Stops with a message naming both shapes unless `tangent`'s leaves have the
  /// shapes of `params`' leaves.
  ///
  /// - Parameters:
  ///   - params: The parameters.
  ///   - tangent: A gradient or offset for them.
  ///   - role: What `tangent` is, for the message (`"gradient"`).
  /// - Complexity: O(leaves).
  @inlinable
  public static func checkShapes<P: Differentiable>(of params: P, _ tangent: P.TangentVector, role: String) {
    let count = params.parameterLeafCount
    precondition(
      tangent.leafCount == count,
      "the \(role) has \(tangent.leafCount) leaves, but the parameters have \(count)")
    for index in 0..<count {
      let expected = params.parameterLeafShape(at: index)
      let found = tangent.leafShape(at: index)
      if expected != found {
        preconditionFailure(
          "the \(role) for leaf '\(params.parameterLeafName(at: index))' has shape \(found), but the parameter has shape \(expected)")
      }
    }
  }

  /// Throws unless `buffer` has `params`' leaf count and shapes.
  ///
  /// - Parameters:
  ///   - buffer: A state buffer.
  ///   - name: The buffer's name, for the error (`"firstMoment"`).
  ///   - params: The parameters.
  /// - Throws: ``OptimiserError/leafCountMismatch(buffer:expected:found:)`` or
  ///   ``OptimiserError/shapeMismatch(buffer:leaf:expected:found:)``.
  /// - Complexity: O(leaves).
  @inlinable
  public static func validate<P: Differentiable>(
    _ buffer: P.TangentVector, named name: String, for params: P
  ) throws(OptimiserError) {
    let count = params.parameterLeafCount
    guard buffer.leafCount == count else {
      throw .leafCountMismatch(buffer: name, expected: count, found: buffer.leafCount)
    }
    for index in 0..<count {
      let expected = params.parameterLeafShape(at: index)
      let found = buffer.leafShape(at: index)
      guard expected == found else {
        throw .shapeMismatch(buffer: name, leaf: params.parameterLeafName(at: index), expected: expected, found: found)
      }
    }
  }

  /// Throws unless `step` is a possible step count.
  ///
  /// - Complexity: O(1).
  @inlinable
  public static func validate(step: Int) throws(OptimiserError) {
    guard step >= 0 else { throw .invalidState("step count \(step) is negative") }
  }

  /// The gradient to walk: `gradient` itself after a shape check, or zeros when it
  /// has no leaves.
  @inlinable
  static func checkedGradient<P: Differentiable>(_ params: P, _ gradient: P.TangentVector) -> P.TangentVector {
    if gradient.leafCount == 0 && params.parameterLeafCount > 0 { return params.zeroTangentVector }
    checkShapes(of: params, gradient, role: "gradient")
    return gradient
  }

  @inlinable
  static func checkBuffer<V: VectorSpace>(_ buffer: V, leaves: Int, name: StaticString) {
    precondition(
      buffer.leafCount == leaves,
      "state buffer '\(name)' has \(buffer.leafCount) leaves, but the parameters have \(leaves); was the state made for other parameters?")
  }

  @inlinable
  static func checkCount(_ found: Int, _ expected: Int, leaf: Int, name: StaticString) {
    precondition(
      found == expected,
      "state buffer '\(name)' leaf \(leaf) has \(found) scalars, but the parameter has \(expected); was the state made for other parameters?")
  }

  /// Walks parameters and gradient in lockstep.
  ///
  /// - Parameters:
  ///   - params: The parameters, mutable.
  ///   - gradient: The gradient, read only.
  ///   - body: Called once per leaf with the leaf index and the buffers.
  /// - Complexity: O(leaves) plus the cost of `body`.
  @inlinable
  public static func forEachLeaf<P: Differentiable>(
    _ params: inout P, _ gradient: P.TangentVector,
    _ body: (Int, UnsafeMutableBufferPointer<P.TangentVector.Scalar>, UnsafeBufferPointer<P.TangentVector.Scalar>) -> Void
  ) {
    let gradient = checkedGradient(params, gradient)
    for leaf in 0..<params.parameterLeafCount {
      params.withMutableParameterLeaf(at: leaf) { p in
        gradient.withLeaf(at: leaf) { g in body(leaf, p, g) }
      }
    }
  }

  /// Walks parameters, gradient and one state buffer in lockstep.
  ///
  /// - Parameters:
  ///   - params: The parameters, mutable.
  ///   - gradient: The gradient, read only.
  ///   - first: A state buffer, mutable.
  ///   - body: Called once per leaf with the leaf index and the buffers.
  /// - Complexity: O(leaves) plus the cost of `body`.
  @inlinable
  public static func forEachLeaf<P: Differentiable>(
    _ params: inout P, _ gradient: P.TangentVector, _ first: inout P.TangentVector,
    _ body: (Int, UnsafeMutableBufferPointer<P.TangentVector.Scalar>, UnsafeBufferPointer<P.TangentVector.Scalar>,
             UnsafeMutableBufferPointer<P.TangentVector.Scalar>) -> Void
  ) {
    let gradient = checkedGradient(params, gradient)
    let leaves = params.parameterLeafCount
    checkBuffer(first, leaves: leaves, name: "first")
    for leaf in 0..<leaves {
      params.withMutableParameterLeaf(at: leaf) { p in
        gradient.withLeaf(at: leaf) { g in
          first.withMutableLeaf(at: leaf) { a in
            checkCount(a.count, p.count, leaf: leaf, name: "first")
            body(leaf, p, g, a)
          }
        }
      }
    }
  }

  /// Walks parameters, gradient and two state buffers in lockstep.
  ///
  /// - Parameters:
  ///   - params: The parameters, mutable.
  ///   - gradient: The gradient, read only.
  ///   - first: A state buffer, mutable.
  ///   - second: A state buffer, mutable.
  ///   - body: Called once per leaf with the leaf index and the buffers.
  /// - Complexity: O(leaves) plus the cost of `body`.
  @inlinable
  public static func forEachLeaf<P: Differentiable>(
    _ params: inout P, _ gradient: P.TangentVector,
    _ first: inout P.TangentVector, _ second: inout P.TangentVector,
    _ body: (Int, UnsafeMutableBufferPointer<P.TangentVector.Scalar>, UnsafeBufferPointer<P.TangentVector.Scalar>,
             UnsafeMutableBufferPointer<P.TangentVector.Scalar>, UnsafeMutableBufferPointer<P.TangentVector.Scalar>) -> Void
  ) {
    let gradient = checkedGradient(params, gradient)
    let leaves = params.parameterLeafCount
    checkBuffer(first, leaves: leaves, name: "first")
    checkBuffer(second, leaves: leaves, name: "second")
    for leaf in 0..<leaves {
      params.withMutableParameterLeaf(at: leaf) { p in
        gradient.withLeaf(at: leaf) { g in
          first.withMutableLeaf(at: leaf) { a in
            second.withMutableLeaf(at: leaf) { b in
              checkCount(a.count, p.count, leaf: leaf, name: "first")
              checkCount(b.count, p.count, leaf: leaf, name: "second")
              body(leaf, p, g, a, b)
            }
          }
        }
      }
    }
  }

  /// Walks parameters, gradient and three state buffers in lockstep.
  ///
  /// - Parameters:
  ///   - params: The parameters, mutable.
  ///   - gradient: The gradient, read only.
  ///   - first: A state buffer, mutable.
  ///   - second: A state buffer, mutable.
  ///   - third: A state buffer, mutable.
  ///   - body: Called once per leaf with the leaf index and the buffers.
  /// - Complexity: O(leaves) plus the cost of `body`.
  @inlinable
  public static func forEachLeaf<P: Differentiable>(
    _ params: inout P, _ gradient: P.TangentVector,
    _ first: inout P.TangentVector, _ second: inout P.TangentVector, _ third: inout P.TangentVector,
    _ body: (Int, UnsafeMutableBufferPointer<P.TangentVector.Scalar>, UnsafeBufferPointer<P.TangentVector.Scalar>,
             UnsafeMutableBufferPointer<P.TangentVector.Scalar>, UnsafeMutableBufferPointer<P.TangentVector.Scalar>,
             UnsafeMutableBufferPointer<P.TangentVector.Scalar>) -> Void
  ) {
    let gradient = checkedGradient(params, gradient)
    let leaves = params.parameterLeafCount
    checkBuffer(first, leaves: leaves, name: "first")
    checkBuffer(second, leaves: leaves, name: "second")
    checkBuffer(third, leaves: leaves, name: "third")
    for leaf in 0..<leaves {
      params.withMutableParameterLeaf(at: leaf) { p in
        gradient.withLeaf(at: leaf) { g in
          first.withMutableLeaf(at: leaf) { a in
            second.withMutableLeaf(at: leaf) { b in
              third.withMutableLeaf(at: leaf) { c in
                checkCount(a.count, p.count, leaf: leaf, name: "first")
                checkCount(b.count, p.count, leaf: leaf, name: "second")
                checkCount(c.count, p.count, leaf: leaf, name: "third")
                body(leaf, p, g, a, b, c)
              }
            }
          }
        }
      }
    }
  }
}
