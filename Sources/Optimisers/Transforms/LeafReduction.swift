/// Reductions over one leaf of a gradient seen through a ``GradientMap``, written
/// with eight independent partial results so that the loop does not wait on one
/// floating-point addition per element (a serial sum runs at the latency of an
/// addition; eight partial sums vectorise).
///
/// The order is fixed — element *i* goes to partial sum *i* mod 8, the partial
/// sums are combined as ((s₀ + s₁) + (s₂ + s₃)) + ((s₄ + s₅) + (s₆ + s₇)), and
/// the remaining elements are added last, in index order — so results are
/// deterministic and identical on every IEEE 754 platform.
///
/// - Complexity: O(*n*), one read-only pass.
/// - References: Higham, *The Accuracy of Floating Point Summation*, SIAM J. Sci.
///   Comput., 1993 (blocked and pairwise summation).
@usableFromInline
enum LeafReduction {
  /// Σᵢ map(gᵢ, pᵢ)² over one leaf, in the fixed order above.
  @inlinable
  static func sumOfSquares<S: ParameterScalar, Map: GradientMap>(
    _ g: UnsafeBufferPointer<S>, _ p: UnsafeBufferPointer<S>, _ map: Map
  ) -> S {
    sum(g, p, map) { v in v * v }
  }

  /// Calls `body` with each leaf's Σᵢ map(gᵢ, pᵢ)² (in the fixed order
  /// above), in leaf order, where map is `incoming` positioned at the
  /// leaf; an empty `gradient` counts as zero. Shared by the norm clips.
  ///
  /// - Precondition: `gradient` has the leaf shapes of `params` (or no leaves).
  @inlinable
  static func forEachLeafSumOfSquares<Params: Differentiable, Incoming: GradientMap>(
    _ gradient: Params.TangentVector, _ params: Params, after incoming: Incoming,
    _ body: (Params.TangentVector.Scalar) -> Void
  ) {
    let source = gradient.leafCount == 0 ? params.zeroTangentVector : gradient
    LeafWalk.checkShapes(of: params, source, role: "gradient")
    for leaf in 0..<params.parameterLeafCount {
      let map = incoming.forLeaf(leaf)
      body(params.withParameterLeaf(at: leaf) { p in source.withLeaf(at: leaf) { g in sumOfSquares(g, p, map) } })
    }
  }

  /// Whether map(gᵢ, pᵢ) is finite for every element: sums vᵢ − vᵢ, which is 0
  /// for finite vᵢ and NaN otherwise.
  @inlinable
  static func isFinite<S: ParameterScalar, Map: GradientMap>(
    _ g: UnsafeBufferPointer<S>, _ p: UnsafeBufferPointer<S>, _ map: Map
  ) -> Bool {
    sum(g, p, map) { v in v - v } == 0
  }

  /// Σᵢ term(map(gᵢ, pᵢ)) over one leaf, in the fixed order above.
  @inlinable
  static func sum<S: ParameterScalar, Map: GradientMap>(
    _ g: UnsafeBufferPointer<S>, _ p: UnsafeBufferPointer<S>, _ map: Map, _ term: (S) -> S
  ) -> S {
    var s0: S = 0, s1: S = 0, s2: S = 0, s3: S = 0, s4: S = 0, s5: S = 0, s6: S = 0, s7: S = 0
    let n = g.count
    var i = 0
    while i + 8 <= n {
      s0 += term(map.apply(g[i], parameter: p[i])); s1 += term(map.apply(g[i + 1], parameter: p[i + 1]))
      s2 += term(map.apply(g[i + 2], parameter: p[i + 2])); s3 += term(map.apply(g[i + 3], parameter: p[i + 3]))
      s4 += term(map.apply(g[i + 4], parameter: p[i + 4])); s5 += term(map.apply(g[i + 5], parameter: p[i + 5]))
      s6 += term(map.apply(g[i + 6], parameter: p[i + 6])); s7 += term(map.apply(g[i + 7], parameter: p[i + 7]))
      i += 8
    }
    var total = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    while i < n {
      total += term(map.apply(g[i], parameter: p[i]))
      i += 1
    }
    return total
  }
}
