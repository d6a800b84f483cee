/// Adaptive gradient clipping (AGC): clips each unit's gradient norm to a
/// fraction λ of its parameters' norm (optax's `adaptive_grad_clip`).
///
/// Per unit *u* (below), with ‖·‖ the Euclidean norm over the unit:
///
///     M = λ · max(‖p_u‖, ε)
///     g_u ← g_u                          if ‖g_u‖ < M
///     g_u ← g_u · (M / max(‖g_u‖, 10⁻⁶))   otherwise
///
/// A unit is one output of a layer, in optax's layout (outputs on the last
/// axis): a scalar or vector leaf (or one whose shape has a single dimension
/// above 1) is one unit; a matrix [in, out] or a rank-3 leaf [in, a, b] is
/// reduced over its first axis (one unit per column, or per (a, b)); a
/// convolution kernel [h, w, in, out] (HWIO) over its first three axes, a 3-D
/// one [d, h, w, in, out] over its first four (one unit per output channel).
/// Leaves of rank above 5 are refused, as optax does (its `axis` argument,
/// for other layouts, is not offered here): ``validate(_:for:)`` throws and a step stops with the same message.
/// A PyTorch model stores a linear weight as [out, in] and a kernel as OIHW,
/// so its units read along the other axes: transpose such leaves, or choose
/// the leaves with ``Masked``.
///
/// This is `optax.adaptive_grad_clip(clipping=λ, eps=ε)`; λ has no default,
/// ε = 10⁻³ (a floor for parameters near zero, so freshly zeroed units can
/// still move). It rewrites the gradient (it needs whole units), so in a
/// ``Chain`` it costs two passes of its own.
///
/// ```swift
/// let optimiser = Chain(AdaptiveGradientClip(0.01), Momentum<Model>())
/// ```
///
/// - Complexity: O(*n*) per step: one pass for both norms, one to scale,
///   O(units) memory.
/// - References: Brock, De, Smith and Simonyan, *High-Performance Large-Scale
///   Image Recognition Without Normalization*, ICML 2021.
public struct AdaptiveGradientClip: GradientTransform, HyperparameterDeclaring {
  /// The state: nothing.
  public typealias State = NoState
  /// The work happens in ``transform(_:_:_:)``.
  public typealias Map = IdentityGradientMap

  /// The largest ratio λ > 0 of a unit's gradient norm to its parameter norm; no default.
  public var clipping: Double
  /// The floor ε > 0 of the parameter norm; default 10⁻³.
  public var epsilon: Double

  /// Creates the transform; stops with a message unless λ and ε are finite and > 0.
  @inlinable public init(_ clipping: Double, epsilon: Double = 1e-3) {
    (self.clipping, self.epsilon) = (clipping, epsilon)
    requireValidHyperparameters()
  }

  /// `false`: the clip needs each unit's norm before any element changes.
  @inlinable public static var fusesIntoRule: Bool { false }

  /// The number of units of a leaf of this shape (elements whose index agrees
  /// modulo it belong to one unit), or `nil` above rank 5.
  @inlinable
  public static func unitCount(ofShape shape: [Int]) -> Int? {
    if shape.filter({ $0 != 1 }).count <= 1 { return 1 }
    switch shape.count {
    case 2, 3: return shape.dropFirst().reduce(1, *)
    case 4, 5: return shape[shape.count - 1]
    default: return nil
    }
  }

  /// Clips every unit of every leaf.
  @inlinable
  public func transform<Params: Differentiable>(
    _ state: inout NoState, _ gradient: inout Params.TangentVector, _ params: Params
  ) {
    requireValidHyperparameters()
    typealias S = Params.TangentVector.Scalar
    let (lambda, eps, floor) = (S(clipping), S(epsilon), S(1e-6))
    GradientLeafRewrite.forEachLeaf(params, &gradient) { shape, p, g in
      guard let units = Self.unitCount(ofShape: shape) else { preconditionFailure(Self.rankMessage(shape)) }
      var gradientSquares = [S](repeating: 0, count: units), parameterSquares = gradientSquares
      for i in g.indices {
        gradientSquares[i % units] += g[i] * g[i]
        parameterSquares[i % units] += p[i] * p[i]
      }
      var scales = [S?](repeating: nil, count: units)
      for u in 0..<units {
        let gradientNorm = S.squareRoot(of: gradientSquares[u])
        let maxNorm = lambda * Elementwise.maximum(S.squareRoot(of: parameterSquares[u]), eps)
        if !(gradientNorm < maxNorm) { scales[u] = maxNorm / Elementwise.maximum(gradientNorm, floor) }
      }
      for i in g.indices { if let scale = scales[i % units] { g[i] = g[i] * scale } }
    }
  }

  /// Checks that no leaf has rank above 5.
  ///
  /// - Throws: ``OptimiserError/invalidState(_:)`` naming the leaf.
  public func validate<Params: Differentiable>(_ state: NoState, for params: Params) throws(OptimiserError) {
    for leaf in 0..<params.parameterLeafCount where Self.unitCount(ofShape: params.parameterLeafShape(at: leaf)) == nil {
      throw .invalidState("'\(params.parameterLeafName(at: leaf))': " + Self.rankMessage(params.parameterLeafShape(at: leaf)))
    }
  }

  /// The refusal of a leaf of rank above 5.
  @usableFromInline
  static func rankMessage(_ shape: [Int]) -> String {
    "AdaptiveGradientClip has no units for a leaf of shape \(shape) (rank above 5); leave it out with Masked"
  }

  /// λ > 0 and ε > 0, finite.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.positive(clipping, "clipping"); h.positive(epsilon, "epsilon")
  }
}
