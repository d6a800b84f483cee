/// Rescales each parameter leaf's gradient so its Euclidean norm is at most *c*
/// (Optimisers.jl's `ClipNorm`, per array).
///
/// For every leaf *l*, with ‖gₗ‖ = √(Σᵢ gₗᵢ²):
///
///     gₗ ← gₗ                   if ‖gₗ‖ < c
///     gₗ ← (gₗ / ‖gₗ‖) · c      otherwise
///
/// The same formula and operation order as ``ClipGlobalNorm``, per leaf. (Flux
/// multiplies by min(c / ‖gₗ‖, 1), which differs only in rounding.) Each norm is
/// summed in the gradient's scalar type in the fixed order of ``ClipGlobalNorm``
/// (eight interleaved partial sums, then the remainder), so it is deterministic.
///
/// ```swift
/// let optimiser = Chain(ClipNorm(5.0), Momentum<Model>())
/// ```
///
/// - Complexity: One O(*n*) read-only reduction pass and an array of one norm per
///   leaf; the scaling then runs inside the rule's loop.
/// - References: Pascanu, Mikolov and Bengio, *On the difficulty of training
///   recurrent neural networks*, ICML 2013; Optimisers.jl `ClipNorm`, 2021.
public struct ClipNorm: GradientTransform, HyperparameterDeclaring {
  /// The state: nothing.
  public typealias State = NoState
  /// The per-step scaling.
  public typealias Map = Scaling

  /// The largest allowed norm *c* > 0 of each leaf.
  public var maxNorm: Double

  /// Creates the transform.
  ///
  /// - Parameter maxNorm: *c* > 0, finite; no default.
  /// - Precondition: `maxNorm` is finite and > 0.
  @inlinable public init(_ maxNorm: Double) {
    self.maxNorm = maxNorm
    requireValidHyperparameters()
  }

  /// `true`: after the reduction, the clip is a per-leaf scaling.
  @inlinable public static var fusesIntoRule: Bool { true }

  /// The map for one step: per leaf, the identity or *g* ↦ (*g* / ‖gₗ‖) · *c*.
  ///
  /// - Complexity: ``forLeaf(_:)`` and ``apply(_:parameter:)`` are O(1).
  /// - References: Optimisers.jl `ClipNorm`, 2021.
  public struct Scaling: GradientMap {
    /// Every leaf's norm this step.
    public var norms: [Double]
    /// The current leaf's scaling.
    public var current: ClipGlobalNorm.Scaling

    /// Creates the map, set up for leaf 0.
    ///
    /// - Parameters:
    ///   - norms: One norm per leaf.
    ///   - maxNorm: *c*.
    @inlinable public init(norms: [Double], maxNorm: Double) {
      self.norms = norms
      self.current = ClipGlobalNorm.Scaling(norm: norms.first ?? 0, maxNorm: maxNorm)
    }

    /// The scaling for leaf `index`.
    @inlinable public func forLeaf(_ index: Int) -> Scaling {
      var copy = self
      copy.current = ClipGlobalNorm.Scaling(norm: norms[index], maxNorm: current.maxNorm)
      return copy
    }

    /// *g*, or (*g* / ‖gₗ‖) · *c*.
    @inlinable public func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar {
      current.apply(gradient, parameter: parameter)
    }
  }

  /// Takes each leaf's norm of the gradient as seen through `incoming`.
  ///
  /// - Complexity: O(*n*), one read-only pass.
  @inlinable
  public func map<Params: Differentiable, Incoming: GradientMap>(
    _ state: inout NoState, gradient: Params.TangentVector, params: Params, after incoming: Incoming
  ) -> Scaling {
    requireValidHyperparameters()
    var norms: [Double] = []
    norms.reserveCapacity(params.parameterLeafCount)
    LeafReduction.forEachLeafSumOfSquares(gradient, params, after: incoming) { total in
      norms.append(Double(Params.TangentVector.Scalar.squareRoot(of: total)))
    }
    return Scaling(norms: norms, maxNorm: maxNorm)
  }

  /// Checks that `maxNorm` is finite and > 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.positive(maxNorm, "maxNorm")
  }
}
