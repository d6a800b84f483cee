/// Gradient centralisation: removes from each output's gradient its mean, so
/// every output channel's gradient sums to zero.
///
/// For a leaf of rank r > 1 (r > 3 with ``convolutionsOnly``), seen as
/// [k, rest] with k its first dimension, each of the k slices loses its mean:
///
///     g[j, ·] ← g[j, ·] − mean(g[j, ·])
///
/// Vectors and scalars (biases, norms' scales) pass unchanged. The first axis
/// is PyTorch's output axis (a linear weight [out, in], a kernel OIHW), so
/// this is `pytorch_optimizer.centralize_gradient(grad, gc_conv_only)` applied
/// to every gradient, as its optimisers' `use_gc` option does; put it first in
/// a ``Chain``, before weight decay and the rule.
///
/// ```swift
/// let optimiser = Chain(GradientCentralisation(), AdamW<Model>())
/// ```
///
/// - Complexity: O(*n*) per step, two passes over each leaf it changes.
/// - References: Yong, Huang, Hua and Zhang, *Gradient Centralization: A New
///   Optimization Technique for Deep Neural Networks*, ECCV 2020.
public struct GradientCentralisation: GradientTransform, HyperparameterDeclaring {
  /// The state: nothing.
  public typealias State = NoState
  /// The work happens in ``transform(_:_:_:)``.
  public typealias Map = IdentityGradientMap

  /// Whether only leaves of rank > 3 (convolution kernels) are centralised
  /// (`gc_conv_only`); default `false` (every leaf of rank > 1).
  public var convolutionsOnly: Bool

  /// Creates the transform.
  @inlinable public init(convolutionsOnly: Bool = false) { self.convolutionsOnly = convolutionsOnly }

  /// `false`: each mean is needed before any element changes.
  @inlinable public static var fusesIntoRule: Bool { false }

  /// Centralises every leaf of the chosen ranks.
  @inlinable
  public func transform<Params: Differentiable>(
    _ state: inout NoState, _ gradient: inout Params.TangentVector, _ params: Params
  ) {
    typealias S = Params.TangentVector.Scalar
    let lowestRank = convolutionsOnly ? 4 : 2
    GradientLeafRewrite.forEachLeaf(params, &gradient) { shape, _, g in
      guard shape.count >= lowestRank, let rows = shape.first, rows > 0, g.count > 0 else { return }
      let width = g.count / rows, count = S(width)
      for row in 0..<rows {
        let slice = row * width..<(row + 1) * width
        var sum: S = 0
        for i in slice { sum += g[i] }
        let mean = sum / count
        for i in slice { g[i] -= mean }
      }
    }
  }

  /// No numeric hyperparameters.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {}
}
