/// Decoupled weight decay (AdamW-style): shrinks the parameters by ηλ before
/// the base rule's step, outside the rule's gradient statistics.
///
/// With η the base rule's current learning rate (read through
/// ``learningRate``) and λ the ``coefficient``:
///
///     p ← p · (1 − η λ)              for every selected leaf, then
///     base.update(p, g)              with the unchanged gradient
///
/// This is `torch.optim.AdamW(params, lr=η, weight_decay=λ)` exactly, formula and
/// order (PyTorch multiplies by 1 − ηλ, computed in double precision, before
/// Adam's step); `DecoupledWeightDecay(λ, Adam(learningRate: η), learningRate:
/// \.learningRate)` is AdamW. optax's `adamw(η, weight_decay=λ)` applies
/// −η(adam + λp) in one update; since Adam's direction does not depend on *p*,
/// the two are the same iterates up to rounding. η is the rule's `learningRate`
/// property *now*, so a schedule that adjusts it (through
/// ``HyperparameterValidating/adjusted(_:to:)``) also scales the decay, as in both references;
/// a rule's own inverse `decay` is not included.
///
/// ```swift
/// let adamW = DecoupledWeightDecay(0.01, Adam<Model>(learningRate: 1e-3), learningRate: \.learningRate)
/// let masked = DecoupledWeightDecay(0.01, Adam<Model>(), learningRate: \.learningRate,
///                                   selecting: .rank(atLeast: 2))
/// ```
///
/// The shrink is a separate pass before the rule's fused pass (it writes the
/// parameters, which a ``GradientMap`` cannot).
///
/// - Complexity: One O(*n*) pass over the selected leaves, plus the base step;
///   the selector is evaluated once per leaf per step. Inside a ``Chain`` whose
///   earlier members pass a map, the map is first applied to a copy of the
///   gradient (one more pass), so that it sees the parameters before the shrink.
/// - References: Loshchilov and Hutter, *Decoupled Weight Decay Regularization*,
///   ICLR 2019; `torch.optim.AdamW`.
public struct DecoupledWeightDecay<Base: Optimiser>: Optimiser, HyperparameterDeclaring {
  /// The parameters of the base rule.
  public typealias Params = Base.Params
  /// The base rule's state: the decay keeps none of its own.
  public typealias State = Base.State

  /// The decay coefficient λ ≥ 0.
  public var coefficient: Double
  /// The rule whose step follows the decay.
  public var base: Base
  /// Where the base rule keeps its learning rate η.
  public let learningRate: KeyPath<Base, Double> & Sendable
  /// The leaves that decay; `nil` (default) for every leaf.
  public var selector: LeafSelector?

  /// Creates the wrapper.
  ///
  /// - Parameters:
  ///   - coefficient: λ ≥ 0, finite.
  ///   - base: The rule.
  ///   - learningRate: The key path of the rule's learning rate, such as
  ///     `\.learningRate`.
  ///   - selector: The leaves that decay; default `nil`, every leaf.
  /// - Precondition: `coefficient` is finite and ≥ 0.
  @inlinable
  public init(
    _ coefficient: Double, _ base: Base, learningRate: KeyPath<Base, Double> & Sendable, selecting selector: LeafSelector? = nil
  ) {
    (self.coefficient, self.base, self.learningRate, self.selector) = (coefficient, base, learningRate, selector)
    requireValidHyperparameters()
  }

  /// The base rule's initial state.
  ///
  /// - Complexity: The base rule's cost.
  @inlinable public func initialState(for params: Params) -> State {
    base.initialState(for: params)
  }

  /// p ← p · (1 − ηλ) on the selected leaves, then the base step.
  ///
  /// - Complexity: O(*n*) plus the base step.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    requireValidHyperparameters()
    let product = base[keyPath: learningRate] * coefficient
    if product != 0 {
      // The map reads p, so the gradient must see the parameters before the
      // shrink: materialise it first unless the map ignores them.
      var gradient = gradient
      if Map.self != IdentityGradientMap.self { map.materialise(into: &gradient, params: params) }
      let factor = S(1 - product)
      for leaf in 0..<params.parameterLeafCount where selector?.contains(leaf: leaf, of: params) ?? true {
        params.withMutableParameterLeaf(at: leaf) { p in
          for i in 0..<p.count { p[i] *= factor }
        }
      }
      if Map.self != IdentityGradientMap.self {
        base.update(&state, &params, gradient, preprocessing: IdentityGradientMap())
      } else {
        base.update(&state, &params, gradient, preprocessing: map)
      }
    } else {
      base.update(&state, &params, gradient, preprocessing: map)
    }
  }

  /// The base rule's check.
  ///
  /// - Throws: The base rule's ``OptimiserError``.
  /// - Complexity: O(leaves).
  @inlinable public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try base.validate(state, for: params)
  }

  /// Checks λ ≥ 0 and finite, and the base rule's hyperparameters.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(coefficient, "coefficient"); h.include(base.validateHyperparameters)
  }
}
