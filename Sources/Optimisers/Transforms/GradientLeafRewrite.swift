/// The leaf loop of a non-fusing transform that rewrites each gradient leaf
/// from its shape and the matching parameter leaf (``AdaptiveGradientClip``,
/// ``GradientCentralisation``).
@usableFromInline
enum GradientLeafRewrite {
  /// Calls `body(shape, p, g)` for every leaf, in order, with `g` writable; a
  /// gradient with no leaves (``Tangent/zero``) is first expanded to zeros.
  ///
  /// - Precondition: The gradient's leaf shapes match the parameters'.
  @inlinable
  static func forEachLeaf<Params: Differentiable>(
    _ params: Params, _ gradient: inout Params.TangentVector,
    _ body: ([Int], UnsafeBufferPointer<Params.TangentVector.Scalar>,
      UnsafeMutableBufferPointer<Params.TangentVector.Scalar>) -> Void
  ) {
    if gradient.leafCount == 0 && params.parameterLeafCount > 0 { gradient = params.zeroTangentVector }
    LeafWalk.checkShapes(of: params, gradient, role: "gradient")
    for leaf in 0..<params.parameterLeafCount {
      let shape = params.parameterLeafShape(at: leaf)
      params.withParameterLeaf(at: leaf) { p in gradient.withMutableLeaf(at: leaf) { g in body(shape, p, g) } }
    }
  }
}
