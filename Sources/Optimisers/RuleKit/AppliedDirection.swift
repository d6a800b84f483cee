/// The sink of a rule's own step: p ← p − η·d, element by element, as the
/// kernel produces them.
public struct AppliedDirection<Scalar: ParameterScalar>: DirectionSink {
  /// Creates the sink.
  @inlinable public init() {}

  /// p ← p − η·d at element `i`.
  @inlinable
  public func take<Map: GradientMap>(_ d: Scalar, rate: Scalar, at i: Int, of b: Block<Scalar, Map>) {
    b.p[i] -= rate * d
  }
}
