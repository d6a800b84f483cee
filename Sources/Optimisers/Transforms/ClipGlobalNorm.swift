/// Rescales the whole gradient so its Euclidean norm over all leaves is at most
/// *c*.
///
/// With ‖g‖ = √(Σ over every element of every leaf of g²):
///
///     g ← g                  if ‖g‖ < c
///     g ← (g / ‖g‖) · c      otherwise
///
/// This is `optax.clip_by_global_norm(c)`, including its operation order (divide
/// by the norm, then multiply by *c*). `torch.nn.utils.clip_grad_norm_(params, c)`
/// differs slightly: it multiplies by min(1, c / (‖g‖ + 10⁻⁶)). As in optax, a NaN
/// element makes the norm and every element NaN, and an infinite element makes
/// the norm infinite, itself NaN (∞/∞) and every finite element 0.
///
/// The norm is summed in the gradient's scalar type in a fixed order, so it is
/// deterministic and the same on every platform: leaf by leaf in leaf order;
/// within a leaf, element *i* into partial sum *i* mod 8, the eight combined
/// pairwise, then the remaining elements in index order (which lets the pass
/// vectorise). In a ``Chain`` it is the norm of the gradient as transformed by
/// the members before this one.
///
/// ```swift
/// let optimiser = Chain(ClipGlobalNorm(1.0), SGD<Model>(learningRate: 0.1))
/// ```
///
/// - Complexity: One O(*n*) read-only reduction pass; the scaling then runs
///   inside the rule's loop.
/// - References: Pascanu, Mikolov and Bengio, *On the difficulty of training
///   recurrent neural networks*, ICML 2013; optax `clip_by_global_norm`.
public struct ClipGlobalNorm: GradientTransform, HyperparameterDeclaring {
  /// The state: nothing.
  public typealias State = NoState
  /// The per-step scaling.
  public typealias Map = Scaling

  /// The largest allowed norm *c* > 0.
  public var maxNorm: Double

  /// Creates the transform.
  ///
  /// - Parameter maxNorm: *c* > 0, finite; no default.
  /// - Precondition: `maxNorm` is finite and > 0.
  @inlinable public init(_ maxNorm: Double) {
    self.maxNorm = maxNorm
    requireValidHyperparameters()
  }

  /// `true`: after the reduction, the clip is a scaling.
  @inlinable public static var fusesIntoRule: Bool { true }

  /// The map for one step: the identity, or *g* ↦ (*g* / ‖g‖) · *c*.
  /// - References: optax `clip_by_global_norm`.
  public struct Scaling: GradientMap {
    /// The gradient's global norm ‖g‖ this step.
    public var norm: Double
    /// The largest allowed norm *c*.
    public var maxNorm: Double
    /// Whether the gradient is rescaled (‖g‖ ≥ *c*, or ‖g‖ is NaN).
    public var isClipping: Bool

    /// Creates the map.
    ///
    /// - Parameters:
    ///   - norm: ‖g‖.
    ///   - maxNorm: *c*.
    @inlinable public init(norm: Double, maxNorm: Double) {
      (self.norm, self.maxNorm) = (norm, maxNorm)
      self.isClipping = !(norm < maxNorm)
    }

    /// *g*, or (*g* / ‖g‖) · *c*.
    @inlinable public func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar {
      isClipping ? gradient / Scalar(norm) * Scalar(maxNorm) : gradient
    }
  }

  /// Takes the global norm of the gradient as seen through `incoming`, and
  /// returns the scaling.
  ///
  /// - Complexity: O(*n*), one read-only pass.
  @inlinable
  public func map<Params: Differentiable, Incoming: GradientMap>(
    _ state: inout NoState, gradient: Params.TangentVector, params: Params, after incoming: Incoming
  ) -> Scaling {
    requireValidHyperparameters()
    typealias S = Params.TangentVector.Scalar
    var total: S = 0
    LeafReduction.forEachLeafSumOfSquares(gradient, params, after: incoming) { leafTotal in total += leafTotal }
    return Scaling(norm: Double(S.squareRoot(of: total)), maxNorm: maxNorm)
  }

  /// Checks that `maxNorm` is finite and > 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.positive(maxNorm, "maxNorm")
  }
}
