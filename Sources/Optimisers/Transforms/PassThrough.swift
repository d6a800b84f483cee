/// The transform that changes nothing: *g* ↦ *g*.
///
/// `Chain(rule)` is `Chain<PassThrough, Rule>`, and behaves exactly as `rule`
/// (bit for bit); `Chain(transform)` is `Chain<Transform, PassThrough>`.
///
/// - Complexity: O(1); it adds no work to the rule's loop.
/// - References: None needed: the identity function.
public struct PassThrough: GradientTransform, GradientMap {
  /// The state: nothing.
  public typealias State = NoState
  /// The transform is its own map.
  public typealias Map = PassThrough

  /// Creates the identity transform.
  @inlinable public init() {}

  /// `true`: the identity fuses for free.
  @inlinable public static var fusesIntoRule: Bool { true }

  /// The transform itself, as its own map.
  @inlinable
  public func map<Params: Differentiable, Incoming: GradientMap>(
    _ state: inout NoState, gradient: Params.TangentVector, params: Params, after incoming: Incoming
  ) -> PassThrough {
    self
  }

  /// Leaves the gradient as it is.
  @inlinable
  public func transform<Params: Differentiable>(
    _ state: inout NoState, _ gradient: inout Params.TangentVector, _ params: Params
  ) {}

  /// Returns `gradient` unchanged.
  @inlinable public func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar {
    gradient
  }

  /// Nothing to check.
  @inlinable public func validateHyperparameters() throws(OptimiserError) {}
}
