/// A sink that keeps every element's direction and every leaf's rate for a
/// second pass (``Cautious``), in one flat buffer laid out leaf after leaf.
///
/// Blocks write disjoint ranges, so kernels on several threads may record at
/// once. Directions not handed over stay 0 and rates 0.
///
/// Memory: one scalar per parameter, for the recorder's lifetime.
public final class DirectionRecorder<Scalar: ParameterScalar>: DirectionSink, @unchecked Sendable {
  /// Where each leaf's directions start in ``directions``, and the total at the end.
  @usableFromInline let starts: [Int]
  /// Every leaf's directions, leaf after leaf.
  @usableFromInline let directions: UnsafeMutablePointer<Scalar>
  /// Every leaf's rate η.
  @usableFromInline let rates: UnsafeMutablePointer<Scalar>

  /// Room for leaves of `counts` elements, every direction and rate 0.
  @inlinable
  public init(leafCounts counts: [Int]) {
    var starts = [0]
    for n in counts { starts.append(starts[starts.count - 1] + n) }
    self.starts = starts
    directions = .allocate(capacity: Swift.max(starts[counts.count], 1))
    directions.initialize(repeating: 0, count: Swift.max(starts[counts.count], 1))
    rates = .allocate(capacity: Swift.max(counts.count, 1))
    rates.initialize(repeating: 0, count: Swift.max(counts.count, 1))
  }

  deinit {
    directions.deallocate()
    rates.deallocate()
  }

  /// Records d at its place in the leaf, and η once per leaf (by the block
  /// that holds the leaf's first element, so no two threads write it).
  @inlinable
  public func take<Map: GradientMap>(_ d: Scalar, rate: Scalar, at i: Int, of b: Block<Scalar, Map>) {
    directions[starts[b.leaf] + b.offset + i] = d
    if b.offset + i == 0 { rates[b.leaf] = rate }
  }

  /// The directions recorded for leaf `leaf`.
  @inlinable
  public func directions(ofLeaf leaf: Int) -> UnsafeBufferPointer<Scalar> {
    UnsafeBufferPointer(start: directions + starts[leaf], count: starts[leaf + 1] - starts[leaf])
  }

  /// The rate recorded for leaf `leaf` (0 when none was).
  @inlinable public func rate(ofLeaf leaf: Int) -> Scalar { rates[leaf] }
}
