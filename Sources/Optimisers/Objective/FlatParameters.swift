/// Moves between a model's leaves and the flat vectors of the objective-driven
/// optimisers: all scalars in leaf order, each leaf row-major.
///
/// - Complexity: Each function is O(*n*), one pass.
@usableFromInline
enum FlatParameters {
  /// The scalars of every leaf of `vector`, concatenated.
  @inlinable
  static func gather<V: VectorSpace>(_ vector: V) -> [V.Scalar] {
    let total = vector.scalarCount
    return [V.Scalar](unsafeUninitializedCapacity: total) { buffer, initialised in
      var offset = 0
      for index in 0..<vector.leafCount {
        vector.withLeaf(at: index) { leaf in
          if let base = leaf.baseAddress, leaf.count > 0 {
            (buffer.baseAddress! + offset).initialize(from: base, count: leaf.count)
          }
          offset += leaf.count
        }
      }
      initialised = total
    }
  }

  /// The scalars of every parameter leaf of `params`, concatenated.
  @inlinable
  static func gather<P: Differentiable>(parameters params: P) -> [P.TangentVector.Scalar] {
    var result: [P.TangentVector.Scalar] = []
    for index in 0..<params.parameterLeafCount {
      params.withParameterLeaf(at: index) { result.append(contentsOf: $0) }
    }
    return result
  }

  /// The number of parameter scalars of `params`.
  @inlinable
  static func count<P: Differentiable>(of params: P) -> Int {
    var total = 0
    for index in 0..<params.parameterLeafCount { total += params.withParameterLeaf(at: index) { $0.count } }
    return total
  }

  /// `target` ← `origin` + t·d, leaf by leaf (`origin` `nil`: in place),
  /// rounded once per element (`fused`, as torch's `add_(d, alpha=t)` and
  /// XLA's fused loops) or after the product (`optax.apply_updates` of t·d).
  @inlinable
  static func assign<P: Differentiable>(
    _ target: inout P, from origin: P?, step t: P.TangentVector.Scalar, along d: [P.TangentVector.Scalar],
    fused: Bool = true
  ) {
    d.withUnsafeBufferPointer { d in
      var offset = 0
      for index in 0..<target.parameterLeafCount {
        target.withMutableParameterLeaf(at: index) { out in
          let count = out.count
          guard count > 0 else { return }
          if let origin {
            origin.withParameterLeaf(at: index) { x in
              FlatKernels.axpy(into: out.baseAddress!, x.baseAddress!, t, d.baseAddress! + offset, count, fused: fused)
            }
          } else {
            FlatKernels.axpy(into: out.baseAddress!, out.baseAddress!, t, d.baseAddress! + offset, count, fused: fused)
          }
          offset += count
        }
      }
    }
  }
}
