/// The leaves of a parameter value read as one flat vector in leaf order:
/// element *i* of leaf *k* is flat element offsets[*k*] + *i*. Buckets,
/// shards and all-gathers are ranges of this vector.
///
/// - Complexity: Building the offsets is O(leaves); a copy is O(its length).
@usableFromInline
struct FlatLeaves: Sendable {
  /// offsets[k] is leaf k's first flat index; offsets[leaves] is the total.
  @usableFromInline let offsets: [Int]

  /// The offsets of `params`' leaves.
  @inlinable init<P: Differentiable>(_ params: P) {
    var offsets = [0]
    offsets.reserveCapacity(params.parameterLeafCount + 1)
    for leaf in 0..<params.parameterLeafCount {
      offsets.append(offsets[leaf] + params.parameterLeafShape(at: leaf).reduce(1, *))
    }
    self.offsets = offsets
  }

  /// The number of scalars in every leaf together.
  @inlinable var total: Int { offsets[offsets.count - 1] }

  /// Calls `body(leaf, lo, hi, flat)` for every leaf meeting `range`, in leaf
  /// order, with the leaf's elements `lo..<hi` and the first one's flat index.
  @inlinable
  func forEachPiece(of range: Range<Int>, _ body: (_ leaf: Int, _ lo: Int, _ hi: Int, _ flat: Int) -> Void) {
    if range.isEmpty { return }
    var leaf = 0
    while offsets[leaf + 1] <= range.lowerBound { leaf += 1 }
    while leaf + 1 < offsets.count && offsets[leaf] < range.upperBound {
      let lo = Swift.max(range.lowerBound, offsets[leaf]), hi = Swift.min(range.upperBound, offsets[leaf + 1])
      if lo < hi { body(leaf, lo - offsets[leaf], hi - offsets[leaf], lo) }
      leaf += 1
    }
  }

  /// Copies `range` of `vector`'s flat elements into `buffer`, which starts at
  /// flat index `range.lowerBound`.
  @inlinable
  func copy<V: VectorSpace>(_ vector: V, _ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<V.Scalar>) {
    forEachPiece(of: range) { leaf, lo, hi, flat in
      vector.withLeaf(at: leaf) { source in
        for i in lo..<hi { buffer[flat - range.lowerBound + i - lo] = source[i] }
      }
    }
  }

  /// Writes `buffer`, which starts at flat index `range.lowerBound`, into
  /// `range` of `vector`'s flat elements.
  @inlinable
  func write<V: VectorSpace>(_ buffer: UnsafeBufferPointer<V.Scalar>, _ range: Range<Int>, into vector: inout V) {
    forEachPiece(of: range) { leaf, lo, hi, flat in
      vector.withMutableLeaf(at: leaf) { target in
        for i in lo..<hi { target[i] = buffer[flat - range.lowerBound + i - lo] }
      }
    }
  }

  /// Writes `buffer` (the whole flat vector) into every leaf of `params`.
  @inlinable
  func write<P: Differentiable>(_ buffer: UnsafeBufferPointer<P.TangentVector.Scalar>, intoParameters params: inout P) {
    for leaf in 0..<offsets.count - 1 {
      let start = offsets[leaf]
      params.withMutableParameterLeaf(at: leaf) { target in
        for i in target.indices { target[i] = buffer[start + i] }
      }
    }
  }
}
