extension LeafSelector {
  /// The leaves of rank exactly 2 (matrices): what ``Muon`` trains, while
  /// vectors, scalars and higher-rank leaves go to another rule, as in
  /// `optax.contrib.muon` and `torch.optim.Muon`'s documentation.
  ///
  /// ```swift
  /// let optimiser = Partition<Model, _, _>(Muon(), for: .matrices, otherwise: AdamW())
  /// ```
  ///
  /// - Complexity: O(1) per leaf.
  @inlinable public static var matrices: LeafSelector { LeafSelector { _, shape in shape.count == 2 } }
}
