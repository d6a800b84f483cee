/// How a leaf's elements map to its row and column statistics.
///
/// The leaf's shape is viewed as [outer, low, middle, high, inner], where
/// `low` and `high` are the two factored axes in storage order; the row axis
/// is one of them and the column axis the other. The batch index of an
/// element is its position with both factored axes removed.
@usableFromInline
struct Factoring: Sendable {
  @usableFromInline let outer: Int, low: Int, middle: Int, high: Int, inner: Int
  /// Whether the row axis is the lower of the two factored axes.
  @usableFromInline let rowIsLow: Bool

  @inlinable
  init(shape: [Int], rowAxis: Int, columnAxis: Int) {
    let lowAxis = Swift.min(rowAxis, columnAxis), highAxis = Swift.max(rowAxis, columnAxis)
    outer = shape[..<lowAxis].reduce(1, *)
    low = shape[lowAxis]
    middle = shape[(lowAxis + 1)..<highAxis].reduce(1, *)
    high = shape[highAxis]
    inner = shape[(highAxis + 1)...].reduce(1, *)
    rowIsLow = rowAxis == lowAxis
  }

  /// The factoring of a leaf of this shape, or `nil` for a full second
  /// moment: the two largest axes (ties broken by position, as optax's stable
  /// sort) or the last two, when factoring is on and both are at least
  /// `minimumSize`.
  @inlinable
  static func plan(for shape: [Int], factored: Bool, minimumSize: Int, largestAxes: Bool) -> Factoring? {
    guard factored, shape.count >= 2 else { return nil }
    var (rowAxis, columnAxis) = (shape.count - 2, shape.count - 1)
    if largestAxes {
      let order = shape.indices.sorted { shape[$0] < shape[$1] || (shape[$0] == shape[$1] && $0 < $1) }
      (rowAxis, columnAxis) = (order[order.count - 2], order[order.count - 1])
    }
    guard Swift.min(shape[rowAxis], shape[columnAxis]) >= minimumSize else { return nil }
    return Factoring(shape: shape, rowAxis: rowAxis, columnAxis: columnAxis)
  }

  /// Sums the mapped squared gradient (plus `offset`) into per-row and
  /// per-column totals.
  @inlinable
  func sums<S: ParameterScalar, Map: GradientMap>(
    _ p: UnsafeMutableBufferPointer<S>, _ g: UnsafeBufferPointer<S>, _ map: Map, offset: S
  ) -> (rows: [S], columns: [S]) {
    var rowSums = [S](repeating: 0, count: batches * rows)
    var columnSums = [S](repeating: 0, count: batches * columns)
    forEach { i, r, c in
      let gi = map.apply(g[i], parameter: p[i])
      let square = gi * gi + offset
      rowSums[r] += square
      columnSums[c] += square
    }
    return (rowSums, columnSums)
  }

  /// The mean of the row statistics of each batch position.
  @inlinable
  func rowMeans<S: ParameterScalar>(_ statistics: UnsafeMutableBufferPointer<S>) -> [S] {
    (0..<batches).map { batch in
      var total: S = 0
      for r in 0..<rows { total += statistics[batch * rows + r] }
      return total / S(rows)
    }
  }

  /// The number of batch positions.
  @inlinable var batches: Int { outer * middle * inner }
  /// The extent of the row axis.
  @inlinable var rows: Int { rowIsLow ? low : high }
  /// The extent of the column axis.
  @inlinable var columns: Int { rowIsLow ? high : low }

  /// Calls `body(element, rowStatistic, columnStatistic)` for every element,
  /// in storage order.
  @inlinable
  func forEach(_ body: (Int, Int, Int) -> Void) {
    var element = 0
    for o in 0..<outer {
      for x in 0..<low {
        for y in 0..<middle {
          for z in 0..<high {
            let batch = (o * middle + y) * inner
            let (r, c) = rowIsLow ? (x, z) : (z, x)
            for w in 0..<inner {
              body(element, (batch + w) * rows + r, (batch + w) * columns + c)
              element += 1
            }
          }
        }
      }
    }
  }
}
