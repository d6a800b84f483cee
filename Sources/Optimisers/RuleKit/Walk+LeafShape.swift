extension Walk {
  /// The shape of parameter leaf `leaf` (a ``Block/leaf``), for rules whose
  /// arithmetic depends on it: Muon orthogonalises matrix leaves as matrices.
  ///
  /// - Complexity: O(rank), and an allocation for the returned array.
  @inlinable
  public func leafShape(_ leaf: Int) -> [Int] { params.pointee.parameterLeafShape(at: leaf) }
}
