/// Sign decay (L1 regularisation): adds λ·sign(p) to the gradient.
///
///     g ← g + λ · sign(p)            sign(0) = 0
///
/// Equivalent to adding λ‖p‖₁ to the loss. Put it first in a ``Chain`` so the
/// rule sees the regularised gradient, as Optimisers.jl's `SignDecay(λ)` in an
/// `OptimiserChain`; with ``WeightDecay`` it gives an elastic net.
///
/// ```swift
/// let optimiser = Chain(SignDecay(1e-3), Adam<Model>())
/// ```
///
/// Stateless and elementwise: in a ``Chain`` it runs inside the rule's loop.
///
/// - Complexity: O(1) per element, no pass of its own.
/// - References: Tibshirani, *Regression Shrinkage and Selection via the
///   Lasso*, 1996; Optimisers.jl `SignDecay` (default λ = 10⁻³).
public struct SignDecay: ElementwiseTransform {
  /// The penalty λ ≥ 0.
  public var coefficient: Double

  /// Creates the transform; stops with a message when λ is negative or not finite.
  ///
  /// - Parameter coefficient: λ ≥ 0 (10⁻³, as Optimisers.jl).
  @inlinable public init(_ coefficient: Double = 1e-3) {
    self.coefficient = coefficient
    requireValidHyperparameters()
  }

  /// *g* + λ sign(*p*).
  @inlinable public func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar {
    gradient + Scalar(coefficient) * Elementwise.sign(parameter)
  }

  /// λ finite and ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(coefficient, "coefficient")
  }
}
