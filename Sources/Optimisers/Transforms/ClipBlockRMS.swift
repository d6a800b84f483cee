/// Rescales each parameter leaf's gradient so its root mean square is at most
/// *c* (optax's `clip_by_block_rms`).
///
/// For every leaf *l* of *n*ₗ elements, with RMSₗ = √(Σᵢ gₗᵢ² / nₗ):
///
///     gₗ ← gₗ / max(1, RMSₗ / c)
///
/// This is `optax.clip_by_block_rms(c)`. ``ClipNorm`` clips the norm instead,
/// ‖gₗ‖ = √nₗ · RMSₗ, so it imitates this clip only with a threshold chosen per
/// leaf size; this one needs none. The sums of squares are ``ClipNorm``'s (its
/// fixed summation order, so the result is deterministic).
///
/// ```swift
/// let optimiser = Chain(ClipBlockRMS(1.0), Adam<Model>())
/// ```
///
/// - Complexity: One O(*n*) read-only reduction pass and an array of one
///   divisor per leaf; the scaling then runs inside the rule's loop.
/// - References: optax `clip_by_block_rms`; Shazeer and Stern, *Adafactor:
///   Adaptive Learning Rates with Sublinear Memory Cost*, ICML 2018 (update
///   clipping by block RMS).
public struct ClipBlockRMS: GradientTransform, HyperparameterDeclaring {
  /// The state: nothing.
  public typealias State = NoState
  /// The per-step scaling.
  public typealias Map = Scaling

  /// The largest allowed root mean square *c* > 0 of each leaf; no default.
  public var threshold: Double

  /// Creates the transform; stops with a message unless *c* is finite and > 0.
  @inlinable public init(_ threshold: Double) {
    self.threshold = threshold
    requireValidHyperparameters()
  }

  /// `true`: the scaling is elementwise once the divisors are known.
  @inlinable public static var fusesIntoRule: Bool { true }

  /// The per-leaf divisors max(1, RMSₗ / c) of one step.
  public struct Scaling: GradientMap {
    /// One divisor ≥ 1 per leaf.
    public var divisors: [Double]
    /// The divisor of the leaf being walked.
    public var current: Double

    /// The scaling with these divisors, positioned at leaf 0.
    @inlinable public init(divisors: [Double]) {
      self.divisors = divisors
      self.current = divisors.first ?? 1
    }

    /// The scaling positioned at leaf `index`.
    @inlinable public func forLeaf(_ index: Int) -> Scaling {
      var copy = self
      copy.current = divisors[index]
      return copy
    }

    /// g / max(1, RMS / c).
    @inlinable public func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar {
      current == 1 ? gradient : gradient / Scalar(current)
    }
  }

  /// Measures every leaf's RMS (after `incoming`) and returns the divisors.
  @inlinable
  public func map<Params: Differentiable, Incoming: GradientMap>(
    _ state: inout NoState, gradient: Params.TangentVector, params: Params, after incoming: Incoming
  ) -> Scaling {
    requireValidHyperparameters()
    var none = NoState()
    let norms = ClipNorm(threshold).map(&none, gradient: gradient, params: params, after: incoming).norms
    var divisors: [Double] = []
    divisors.reserveCapacity(norms.count)
    for (leaf, norm) in norms.enumerated() {
      let count = params.withParameterLeaf(at: leaf) { $0.count }
      divisors.append(count == 0 ? 1 : Swift.max(1, norm / Double(count).squareRoot() / threshold))
    }
    return Scaling(divisors: divisors)
  }

  /// *c* > 0, finite.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.positive(threshold, "threshold")
  }
}
