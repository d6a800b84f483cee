/// A ``KernelRule`` whose step is p ← p − η·d with a per-element direction d
/// and a per-leaf rate η, written so that the direction can be seen before it
/// is applied.
///
/// The rule implements ``step(_:_:handing:)``: its kernels advance the state
/// as usual but hand every element's d to a ``DirectionSink`` instead of
/// moving p. The rule's own ``KernelRule/step(_:_:)`` is that kernel with an
/// ``AppliedDirection`` (p ← p − η·d on the spot, the same arithmetic and one
/// pass); ``Cautious`` records the directions instead, masks them with the
/// gradient's sign and applies η·(d·s) itself, as `pytorch_optimizer`'s
/// `cautious=True` does. Without this, a wrapper can only recover the step as
/// p_before − p_after, which loses the bits of a step smaller than half an
/// ulp of p (in `Float` that flips masks).
///
/// ```swift
/// func step<Map, Sink: DirectionSink>(_ t: Int, _ walk: Walk<Params, State, Map>, handing sink: Sink)
/// where Sink.Scalar == Scalar {
///   let rate = Scalar(learningRate), mu = Scalar(momentum)
///   walk { b in
///     let v = b[0]
///     for i in b.indices { v[i] = mu * v[i] + b.gradient(i); sink.take(v[i], rate: rate, at: i, of: b) }
///   }
/// }
/// ```
public protocol DirectionExposingRule: KernelRule {
  /// Step `t` (counted from 1), handing each element's direction to `sink`
  /// rather than applying it. The kernels must not move p otherwise, and must
  /// hand every element of a leaf exactly once per step, or none of them (a
  /// leaf never handed keeps its parameters).
  func step<Map: GradientMap, Sink: DirectionSink>(_ t: Int, _ walk: Walk<Params, State, Map>, handing sink: Sink)
  where Sink.Scalar == Scalar
}

extension DirectionExposingRule {
  /// The rule's own step: every direction applied as it is produced.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    step(t, walk, handing: AppliedDirection<Scalar>())
  }

  /// What ``KernelRule/runStep(_:_:_:preprocessing:)`` does, with every
  /// direction recorded in `recorder` instead of applied: checks the
  /// hyperparameters, counts the step and runs the kernels; p is not moved.
  @inlinable
  public func recordDirections<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map, into recorder: DirectionRecorder<Scalar>
  ) {
    requireValidHyperparameters()
    state.step += 1
    let t = state.step
    LeafWalk.walk(&params, gradient, &state, preprocessing: map) { walk in step(t, walk, handing: recorder) }
  }
}
