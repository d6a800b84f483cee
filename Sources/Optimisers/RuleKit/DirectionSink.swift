/// Where a ``DirectionExposingRule``'s kernel sends each element's direction:
/// applied at once (``AppliedDirection``, the rule's own step) or recorded for
/// a second pass that may change it (``DirectionRecorder``, used by
/// ``Cautious``).
public protocol DirectionSink: Sendable {
  /// The scalar type of the parameters and the directions.
  associatedtype Scalar: ParameterScalar

  /// Takes element `i` of block `b`: the rule's step there is p ← p − η·d.
  ///
  /// - Parameters:
  ///   - d: The direction, before the rate.
  ///   - rate: η, the same for every element of a leaf.
  ///   - i: The element's position in the block.
  ///   - b: The block.
  func take<Map: GradientMap>(_ d: Scalar, rate: Scalar, at i: Int, of b: Block<Scalar, Map>)
}
