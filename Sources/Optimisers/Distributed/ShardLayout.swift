/// Which parameter elements each rank of a ``Sharded`` rule owns: for every
/// rank, a run of pieces (a leaf's elements `lo..<hi`) that follow one another
/// in the flat leaf order, so that concatenating the ranks' pieces in rank
/// order gives every leaf once, in order.
///
/// Two ways to split *n* scalars over N ranks:
/// - **element ranges** (rules declaring ``ElementwiseRule``): rank *r* owns
///   flat elements ⌊*r n*/N⌋ ..< ⌊(*r* + 1) *n*/N⌋, cutting leaves where the
///   ranges fall; the ranks' shares differ by at most one scalar;
/// - **whole leaves** (every other rule): a leaf goes to the rank whose element
///   range holds the leaf's middle element, so leaves stay whole and in order
///   and the shares are as even as the leaf sizes allow.
///
/// - Complexity: O(leaves + N) to build.
/// - References: Rajbhandari et al., *ZeRO*, SC 2020 (stage 1: partitioned
///   optimiser states); PyTorch `ZeroRedundancyOptimizer` (whole parameters
///   assigned to ranks by size), 2021.
public struct ShardLayout: Codable, Sendable, Hashable {
  /// The elements `lo..<hi` of leaf `leaf`.
  public struct Piece: Codable, Sendable, Hashable {
    /// The leaf's index in the parameters.
    public var leaf: Int
    /// The first element owned.
    public var lo: Int
    /// One past the last element owned.
    public var hi: Int

    /// Creates a piece.
    ///
    /// - Complexity: O(1).
    @inlinable public init(leaf: Int, lo: Int, hi: Int) {
      (self.leaf, self.lo, self.hi) = (leaf, lo, hi)
    }
  }

  /// Every rank's pieces, in rank order.
  public var pieces: [[Piece]]
  /// Whether leaves may be cut into element ranges.
  public var splitsLeaves: Bool

  /// The layout of leaves with `leafCounts` scalars over `ranks` ranks.
  ///
  /// - Parameters:
  ///   - leafCounts: The scalar count of each leaf, in leaf order.
  ///   - ranks: The number of ranks, ≥ 1.
  ///   - splitsLeaves: `true` for element ranges, `false` for whole leaves.
  /// - Complexity: O(leaves + ranks).
  public init(leafCounts: [Int], ranks: Int, splitsLeaves: Bool) {
    precondition(ranks >= 1, "a shard layout needs at least one rank, not \(ranks)")
    self.splitsLeaves = splitsLeaves
    var offsets = [0]
    for count in leafCounts { offsets.append(offsets[offsets.count - 1] + count) }
    let total = offsets[offsets.count - 1]
    var pieces = [[Piece]](repeating: [], count: ranks)
    for (leaf, count) in leafCounts.enumerated() {
      let start = offsets[leaf]
      if splitsLeaves {
        for rank in 0..<ranks {
          let lo = Swift.max(rank * total / ranks, start), hi = Swift.min((rank + 1) * total / ranks, start + count)
          if lo < hi { pieces[rank].append(Piece(leaf: leaf, lo: lo - start, hi: hi - start)) }
        }
        if count == 0 { pieces[Swift.min(ranks - 1, start * ranks / Swift.max(total, 1))].append(Piece(leaf: leaf, lo: 0, hi: 0)) }
      } else {
        // The rank whose range [r n/N, (r+1) n/N) holds the middle, 2·start + count over 2.
        let owner = total == 0 ? 0 : Swift.min(ranks - 1, (2 * start + count) * ranks / (2 * total))
        pieces[owner].append(Piece(leaf: leaf, lo: 0, hi: count))
      }
    }
    self.pieces = pieces
  }

  /// The layout of `params`' leaves over `ranks` ranks.
  ///
  /// - Complexity: O(leaves + ranks).
  public init<P: Differentiable>(_ params: P, ranks: Int, splitsLeaves: Bool) {
    let flat = FlatLeaves(params)
    self.init(
      leafCounts: (0..<params.parameterLeafCount).map { flat.offsets[$0 + 1] - flat.offsets[$0] }, ranks: ranks,
      splitsLeaves: splitsLeaves)
  }

  /// The number of ranks.
  ///
  /// - Complexity: O(1).
  @inlinable public var ranks: Int { pieces.count }

  /// The number of scalars each rank owns, in rank order.
  ///
  /// - Complexity: O(leaves).
  @inlinable public var counts: [Int] { pieces.map { $0.reduce(0) { $0 + $1.hi - $1.lo } } }

  /// Rank `rank`'s pieces of `params`, as parameters in their own right: whole
  /// leaves keep their shapes and names, element ranges are vectors named
  /// `leaf[lo..<hi]`.
  ///
  /// - Complexity: O(the rank's scalars).
  @inlinable
  public func group<P: Differentiable>(of params: P, rank: Int) -> LeafGroup<P> {
    let mine = pieces[rank]
    var leaves: [Tensor<P.TangentVector.Scalar>] = []
    leaves.reserveCapacity(mine.count)
    for piece in mine {
      let shape = shape(of: piece, params.parameterLeafShape(at: piece.leaf))
      leaves.append(params.withParameterLeaf(at: piece.leaf) { Self.tensor(shape, $0, piece) })
    }
    return LeafGroup(
      leaves: leaves, names: mine.map { name(of: $0, params.parameterLeafName(at: $0.leaf), params.parameterLeafShape(at: $0.leaf)) },
      indices: mine.map(\.leaf))
  }

  /// Rank `rank`'s pieces of `gradient` (zeros of `params`' shapes when it has
  /// no leaves).
  ///
  /// - Complexity: O(the rank's scalars).
  @inlinable
  public func group<P: Differentiable>(of gradient: P.TangentVector, for params: P, rank: Int) -> LeafGroup<P>.TangentVector {
    var leaves: [Tensor<P.TangentVector.Scalar>] = []
    for piece in pieces[rank] {
      let shape = shape(of: piece, params.parameterLeafShape(at: piece.leaf))
      if gradient.leafCount == 0 {
        leaves.append(Tensor.zeros(shape))
      } else {
        leaves.append(gradient.withLeaf(at: piece.leaf) { Self.tensor(shape, $0, piece) })
      }
    }
    return LeafGroup<P>.TangentVector(leaves: leaves)
  }

  /// A whole leaf's shape, or `[hi − lo]` for a range.
  @inlinable
  func shape(of piece: Piece, _ leafShape: [Int]) -> [Int] {
    piece.lo == 0 && piece.hi == leafShape.reduce(1, *) ? leafShape : [piece.hi - piece.lo]
  }

  @inlinable
  func name(of piece: Piece, _ leafName: String, _ leafShape: [Int]) -> String {
    shape(of: piece, leafShape) == leafShape ? leafName : "\(leafName)[\(piece.lo)..<\(piece.hi)]"
  }

  @inlinable
  static func tensor<S: ParameterScalar>(_ shape: [Int], _ source: UnsafeBufferPointer<S>, _ piece: Piece) -> Tensor<S> {
    Tensor(shape: shape, storage: TensorStorage(copying: UnsafeBufferPointer(rebasing: source[piece.lo..<piece.hi])))
  }
}
