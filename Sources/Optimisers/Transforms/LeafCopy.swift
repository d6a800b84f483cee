/// Copies between parameters and tangent-shaped buffers, leaf by leaf: the slow
/// weights of ``Lookahead`` and the average of ``ExponentialMovingAverage`` are
/// stored as tangent vectors (which are `Codable`) with the parameters' shapes.
///
/// - Complexity: Each copy is O(*n*).
/// - References: None needed: element copies.
@usableFromInline
enum LeafCopy {
  /// A tangent vector holding the parameters' values.
  @inlinable
  static func tangent<Params: Differentiable>(of params: Params) -> Params.TangentVector {
    var result = params.zeroTangentVector
    for leaf in 0..<params.parameterLeafCount {
      params.withParameterLeaf(at: leaf) { p in
        result.withMutableLeaf(at: leaf) { t in
          for i in 0..<t.count { t[i] = p[i] }
        }
      }
    }
    return result
  }

  /// Overwrites the parameters' values with `values`.
  @inlinable
  static func assign<Params: Differentiable>(_ params: inout Params, from values: Params.TangentVector) {
    LeafWalk.checkShapes(of: params, values, role: "stored copy")
    for leaf in 0..<params.parameterLeafCount {
      values.withLeaf(at: leaf) { t in
        params.withMutableParameterLeaf(at: leaf) { p in
          for i in 0..<p.count { p[i] = t[i] }
        }
      }
    }
  }
}
