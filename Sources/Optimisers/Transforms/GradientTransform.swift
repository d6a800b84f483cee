/// A member of a ``Chain`` that transforms the gradient but does not apply it:
/// clipping, weight decay, scaling, masking.
///
/// A transform is an immutable value holding hyperparameters (as `var`
/// properties, so ``HyperparameterValidating/adjusted(_:to:)`` can reach them through a chain)
/// and a typed, `Codable` ``State``. It is not generic over the parameters: its
/// methods are, so `Chain(ClipGlobalNorm(1.0), WeightDecay(1e-4), Adam<M>())`
/// needs no type annotations on the transforms.
///
/// ## Two ways to run: fused and materialised
/// A transform whose effect is an elementwise function of `(g, p)` for the step
/// — possibly after one reduction pass over the gradient, as for
/// ``ClipGlobalNorm`` — sets ``fusesIntoRule`` to `true` and returns that
/// function as a ``GradientMap`` from ``map(_:gradient:params:after:)``. A
/// ``Chain`` composes the maps of consecutive fusing members and hands the
/// composite to the final rule's ``Optimiser/update(_:_:_:preprocessing:)``, so
/// `Chain(ClipValue(1), WeightDecay(1e-4), Adam<M>())` walks memory once.
///
/// A transform that is not elementwise sets ``fusesIntoRule`` to `false` and
/// rewrites the gradient in ``transform(_:_:_:)``; the chain first applies every
/// earlier member's map to the gradient (one pass), then calls it, then hands
/// the result to the next member with the identity map.
///
/// ## Conforming
/// Set ``fusesIntoRule``; implement ``map(_:gradient:params:after:)`` (fusing
/// transforms — ``transform(_:_:_:)`` then has a default that applies the map in
/// place) or ``transform(_:_:_:)`` (non-fusing transforms whose `Map` is
/// ``IdentityGradientMap`` — ``map(_:gradient:params:after:)`` then has a
/// default); ``initialState(for:)``, ``validate(_:for:)`` and
/// ``HyperparameterValidating/validateHyperparameters()`` (stateless transforms with ``NoState`` get the
/// first two from defaults). A transform whose state is shaped like the
/// parameters (a moment buffer) is better written as an ``Optimiser`` wrapper
/// over the rule, as ``Accumulate`` is.
///
/// ## Mathematical properties
/// A transform is a function *g* ↦ *T*(*g*, *p*, *s*); chaining composes them,
/// *g* ↦ *T*₂(*T*₁(*g*)), and the composition is associative bit for bit (see
/// ``Chain``).
///
/// - Complexity: A fusing member costs O(1) per element inside the rule's loop
///   (plus one O(*n*) reduction pass if it needs one); a non-fusing member costs
///   at least one O(*n*) pass.
/// - References: Babuschkin et al., *The DeepMind JAX Ecosystem* (optax's
///   `GradientTransformation` and `chain`), 2020.
public protocol GradientTransform: HyperparameterValidating {
  /// Everything that changes between steps; ``NoState`` for stateless transforms.
  associatedtype State: Codable & Sendable
  /// The elementwise map a fusing transform contributes for one step.
  associatedtype Map: GradientMap

  /// Whether the chain calls ``map(_:gradient:params:after:)`` and fuses the map
  /// into the rule (`true`), or calls ``transform(_:_:_:)`` (`false`).
  ///
  /// - Complexity: O(1).
  static var fusesIntoRule: Bool { get }

  /// The state before the first step.
  ///
  /// - Parameter params: The parameters to be trained.
  /// - Complexity: O(1) for the transforms in this package, O(leaves) for ``Masked``.
  func initialState<Params: Differentiable>(for params: Params) -> State

  /// This step's elementwise map (fusing transforms).
  ///
  /// The gradient this transform sees is `incoming` applied to `gradient`: a
  /// transform that reduces over the gradient (a norm) must read it through
  /// `incoming.forLeaf(leaf).apply(g[i], parameter: p[i])`. The chain applies the
  /// returned map *after* `incoming`.
  ///
  /// - Parameters:
  ///   - state: The state; advanced by one step.
  ///   - gradient: The raw gradient entering the chain.
  ///   - params: The parameters, before the update.
  ///   - incoming: The composite map of the members before this one.
  /// - Returns: The map to apply after `incoming`.
  /// - Complexity: O(1), or O(*n*) for one reduction pass.
  func map<Params: Differentiable, Incoming: GradientMap>(
    _ state: inout State, gradient: Params.TangentVector, params: Params, after incoming: Incoming
  ) -> Map

  /// Rewrites the gradient in place (non-fusing transforms, and the fallback
  /// when a fusing transform sits after a non-fusing one).
  ///
  /// - Parameters:
  ///   - state: The state; advanced by one step.
  ///   - gradient: The gradient as it leaves the earlier members; rewritten.
  ///   - params: The parameters, before the update.
  /// - Complexity: O(*n*).
  func transform<Params: Differentiable>(
    _ state: inout State, _ gradient: inout Params.TangentVector, _ params: Params)

  /// Checks that `state` fits `params` and this transform.
  ///
  /// - Throws: ``OptimiserError`` naming what differs.
  /// - Complexity: O(leaves).
  func validate<Params: Differentiable>(_ state: State, for params: Params) throws(OptimiserError)
}

extension GradientTransform {
  /// Applies this step's map to `gradient` in place: the materialised form of a
  /// fusing transform.
  ///
  /// - Complexity: O(*n*), one reduction pass if the map needs one plus one pass.
  @inlinable
  public func transform<Params: Differentiable>(
    _ state: inout State, _ gradient: inout Params.TangentVector, _ params: Params
  ) {
    let map = self.map(&state, gradient: gradient, params: params, after: IdentityGradientMap())
    map.materialise(into: &gradient, params: params)
  }
}

extension GradientTransform where Map == IdentityGradientMap {
  /// The identity map: a non-fusing transform does its work in
  /// ``transform(_:_:_:)``.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func map<Params: Differentiable, Incoming: GradientMap>(
    _ state: inout State, gradient: Params.TangentVector, params: Params, after incoming: Incoming
  ) -> IdentityGradientMap {
    IdentityGradientMap()
  }
}

extension GradientTransform where State == NoState {
  /// The empty state.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func initialState<Params: Differentiable>(for params: Params) -> NoState { NoState() }

  /// Nothing to check.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func validate<Params: Differentiable>(_ state: NoState, for params: Params) throws(OptimiserError) {}
}

extension GradientMap {
  /// Writes `map(g, p)` over every element of `gradient`, leaf by leaf, in
  /// place.
  ///
  /// A gradient with no leaves (``Tangent/zero``) is first expanded to zeros of
  /// the parameters' shapes.
  ///
  /// - Parameters:
  ///   - gradient: The gradient to rewrite.
  ///   - params: The matching parameters.
  /// - Precondition: The gradient's leaf shapes match the parameters'.
  /// - Complexity: O(*n*), one pass.
  @inlinable
  public func materialise<Params: Differentiable>(into gradient: inout Params.TangentVector, params: Params) {
    if gradient.leafCount == 0 && params.parameterLeafCount > 0 {
      gradient = params.zeroTangentVector
    }
    LeafWalk.checkShapes(of: params, gradient, role: "gradient")
    for leaf in 0..<params.parameterLeafCount {
      let map = forLeaf(leaf)
      params.withParameterLeaf(at: leaf) { p in
        gradient.withMutableLeaf(at: leaf) { g in
          for i in 0..<g.count { g[i] = map.apply(g[i], parameter: p[i]) }
        }
      }
    }
  }
}
