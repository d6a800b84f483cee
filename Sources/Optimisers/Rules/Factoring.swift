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
