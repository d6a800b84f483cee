/// max |xᵢ|, Σ|xᵢ| and finiteness of a flat buffer, as ``FlatKernels`` reduces
/// them block by block.
///
/// - Complexity: ``combined(with:)`` is O(1).
@usableFromInline
struct AbsoluteSummary: Sendable {
  /// max |xᵢ| (0 for an empty buffer).
  @usableFromInline var max: Double
  /// Σ|xᵢ|.
  @usableFromInline var sum: Double
  /// Whether every xᵢ is finite.
  @usableFromInline var finite: Bool

  @inlinable init(max: Double, sum: Double, finite: Bool) {
    self.max = max
    self.sum = sum
    self.finite = finite
  }

  /// The summary of two consecutive blocks.
  @inlinable func combined(with next: AbsoluteSummary) -> AbsoluteSummary {
    AbsoluteSummary(max: Swift.max(max, next.max), sum: sum + next.sum, finite: finite && next.finite)
  }
}
