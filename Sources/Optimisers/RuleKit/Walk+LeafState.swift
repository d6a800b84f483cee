extension Walk {
  /// Runs a kernel over whole leaves, in order, with each leaf's entry of a
  /// per-leaf state of the rule's own shape.
  ///
  /// For state that is not shaped like the parameters — Adafactor's row and
  /// column statistics, a matrix leaf's Kronecker factors — a rule keeps one
  /// value per leaf in an array of its state and names it here:
  ///
  ///     walk.wholeLeaves(\.statistics) { b, statistics in
  ///       let shape = walk.shape(ofLeaf: b.leaf)   // plan the leaf's reduction
  ///       …                                        // read and write b.p, statistics
  ///     }
  ///
  /// The rule creates the entries in ``StatefulOptimiser/initialState(for:)`` and checks
  /// them in ``StatefulOptimiser/validate(_:for:)``; the walk checks only their number.
  ///
  /// - Parameters:
  ///   - leafStates: The array of per-leaf values in the state, one per leaf.
  ///   - kernel: Called once per leaf with the whole leaf and its value.
  /// - Complexity: O(leaves) beyond the kernels.
  @inlinable
  public func wholeLeaves<LeafState>(
    _ leafStates: WritableKeyPath<State, [LeafState]>, _ kernel: (Block<Scalar, Map>, inout LeafState) -> Void
  ) {
    let state = self.state
    let found = state.pointee[keyPath: leafStates].count
    precondition(found == table.leaves, "the state has \(found) per-leaf entries, but the parameters have \(table.leaves) leaves")
    wholeLeaves { b in kernel(b, &state.pointee[keyPath: leafStates][b.leaf]) }
  }

  /// The shape of a parameter leaf.
  ///
  /// - Complexity: O(rank).
  @inlinable
  public func shape(ofLeaf leaf: Int) -> [Int] { params.pointee.parameterLeafShape(at: leaf) }
}
