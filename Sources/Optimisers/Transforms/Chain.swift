/// Members applied in order to the gradient, then one update: optax's `chain`,
/// Optimisers.jl's `OptimiserChain`.
///
/// ```swift
/// let optimiser = Chain(ClipGlobalNorm(1.0), WeightDecay(1e-4), Adam<Model>(learningRate: 1e-3))
/// var state = optimiser.initialState(for: model)
/// optimiser.update(&state, &model, gradient)
/// let slower = optimiser.adjusted(\.rule.learningRate, to: 1e-4)   // state untouched
/// ```
///
/// A chain is a pair: the ``leading`` members (a ``GradientTransform``, itself a
/// chain when there are several) and the ``last`` member. When the last member
/// is an ``Optimiser`` the chain is an `Optimiser` (so it nests inside every
/// wrapper, and `Chain(rule)` behaves exactly as `rule`); when it is a
/// `GradientTransform` the chain is a `GradientTransform` (so it can be a member
/// of another chain). `Chain(a, b, c, rule)` nests to the left:
/// `Chain<Chain<Chain<A, B>, C>, Rule>`, which puts the rule at ``rule`` for
/// every arity. One call takes up to six members; for more, pass a chain as a
/// member (the result is the same, bit for bit).
///
/// ## Fusion
/// For the fusing members (``GradientTransform/fusesIntoRule``), the chain asks
/// each for its ``GradientMap`` in order — each sees the composite map of the
/// members before it, so a reduction such as ``ClipGlobalNorm``'s norm is taken
/// of the gradient *as transformed so far* — and passes the composite
/// ``ComposedMap`` to the rule's ``Optimiser/update(_:_:_:preprocessing:)``.
/// The rule applies it to each gradient element inside its own loop, so
/// `Chain(ClipValue(1), WeightDecay(1e-4), Adam<M>())` reads and writes every
/// buffer once, as Adam alone does. A non-fusing member makes the chain apply the
/// composite so far to a copy of the gradient (one pass), let the member rewrite
/// it, and continue from the identity map.
///
/// ## Mathematical properties
/// With members applied as functions of the gradient:
/// `Chain(a)` == `a`, and `Chain(Chain(a, b), c)` == `Chain(a, Chain(b, c))`,
/// both bit for bit, because every path evaluates c(b(a(g))) with the same
/// operations in the same order.
///
/// - Complexity: The last member's cost plus, per fusing member, O(1) per element
///   (and one O(*n*) reduction pass for ``ClipGlobalNorm`` and ``ClipNorm``); the
///   call path is `@inlinable` and allocates nothing of its own.
/// - References: Babuschkin et al., *The DeepMind JAX Ecosystem* (`optax.chain`),
///   2020; Optimisers.jl `OptimiserChain`, 2021.
public struct Chain<Leading: GradientTransform, Last: Sendable>: Sendable {
  /// The members before the last one (a ``Chain`` when there are several, or
  /// ``PassThrough`` for `Chain(rule)`).
  public var leading: Leading
  /// The last member: the rule that applies the update, or a transform.
  public var last: Last

  /// Chains two members: `leading` first, then `last`.
  ///
  /// - Parameters:
  ///   - leading: A transform.
  ///   - last: A rule or a transform.
  @inlinable public init(_ leading: Leading, _ last: Last) {
    (self.leading, self.last) = (leading, last)
  }

  /// Chains three members, in order.
  @inlinable public init<A, B>(_ a: A, _ b: B, _ last: Last) where Leading == Chain<A, B> {
    self.init(Chain<A, B>(a, b), last)
  }

  /// Chains four members, in order.
  @inlinable public init<A, B, C>(_ a: A, _ b: B, _ c: C, _ last: Last) where Leading == Chain<Chain<A, B>, C> {
    self.init(Chain<Chain<A, B>, C>(a, b, c), last)
  }

  /// Chains five members, in order.
  @inlinable public init<A, B, C, D>(_ a: A, _ b: B, _ c: C, _ d: D, _ last: Last)
  where Leading == Chain<Chain<Chain<A, B>, C>, D> {
    self.init(Chain<Chain<Chain<A, B>, C>, D>(a, b, c, d), last)
  }

  /// Chains six members, in order.
  @inlinable public init<A, B, C, D, E>(_ a: A, _ b: B, _ c: C, _ d: D, _ e: E, _ last: Last)
  where Leading == Chain<Chain<Chain<Chain<A, B>, C>, D>, E> {
    self.init(Chain<Chain<Chain<Chain<A, B>, C>, D>, E>(a, b, c, d, e), last)
  }
}

extension Chain where Leading == PassThrough {
  /// A chain of one rule: behaves exactly as `rule`, bit for bit.
  ///
  /// - Parameter rule: The rule.
  @inlinable public init(_ rule: Last) where Last: Optimiser {
    self.init(PassThrough(), rule)
  }
}

extension Chain where Last == PassThrough {
  /// A chain of one transform: behaves exactly as `transform`.
  ///
  /// - Parameter transform: The transform.
  @inlinable public init(_ transform: Leading) {
    self.init(transform, PassThrough())
  }
}

extension Chain: HyperparameterValidating where Last: HyperparameterValidating {
  /// Checks every member's hyperparameters.
  ///
  /// - Complexity: O(members).
  @inlinable public func validateHyperparameters() throws(OptimiserError) {
    try leading.validateHyperparameters()
    try last.validateHyperparameters()
  }
}

extension Chain: StatefulOptimiser where Last: Optimiser {
  /// The parameters of the last member, the rule.
  public typealias Params = Last.Params
  /// The leading members' state and the rule's state.
  public typealias State = ChainState<Leading.State, Last.State>

  /// Every member's initial state.
  ///
  /// - Complexity: The sum of the members' costs.
  @inlinable public func initialState(for params: Params) -> State {
    State(leading: leading.initialState(for: params), last: last.initialState(for: params))
  }

  /// Checks every member's state.
  ///
  /// - Throws: The first member's ``OptimiserError``.
  /// - Complexity: O(leaves).
  @inlinable public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try leading.validate(state.leading, for: params)
    try last.validate(state.last, for: params)
  }
}

extension Chain: Optimiser where Last: Optimiser {
  /// The rule: the last member (`\.rule.learningRate` reaches its learning rate).
  @inlinable public var rule: Last {
    get { last }
    set { last = newValue }
  }

  /// Transforms the gradient through the leading members, then lets the rule
  /// update the parameters once, with every fusing member's map inside the
  /// rule's loop.
  ///
  /// - Complexity: The rule's O(*n*) pass with the composite map inside it, plus
  ///   any reduction passes.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout ChainState<Leading.State, Last.State>, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    if Leading.fusesIntoRule {
      let own = leading.map(&state.leading, gradient: gradient, params: params, after: map)
      last.update(&state.last, &params, gradient, preprocessing: ComposedMap(map, own))
    } else {
      var transformed = gradient
      if Map.self != IdentityGradientMap.self { map.materialise(into: &transformed, params: params) }
      leading.transform(&state.leading, &transformed, params)
      last.update(&state.last, &params, transformed, preprocessing: IdentityGradientMap())
    }
  }
}

extension Chain: GradientTransform where Last: GradientTransform {
  /// Both members' maps, composed.
  public typealias Map = ComposedMap<Leading.Map, Last.Map>

  /// Whether both members fuse.
  @inlinable public static var fusesIntoRule: Bool { Leading.fusesIntoRule && Last.fusesIntoRule }

  /// Both members' initial states.
  ///
  /// - Complexity: The sum of the members' costs.
  @inlinable
  public func initialState<Params: Differentiable>(for params: Params) -> ChainState<Leading.State, Last.State> {
    ChainState(leading: leading.initialState(for: params), last: last.initialState(for: params))
  }

  /// The leading members' map, then the last member's, which sees the gradient
  /// through `incoming` and the leading map.
  ///
  /// - Complexity: O(1) plus the members' reductions.
  @inlinable
  public func map<Params: Differentiable, Incoming: GradientMap>(
    _ state: inout ChainState<Leading.State, Last.State>, gradient: Params.TangentVector, params: Params,
    after incoming: Incoming
  ) -> ComposedMap<Leading.Map, Last.Map> {
    let first = leading.map(&state.leading, gradient: gradient, params: params, after: incoming)
    let second = last.map(&state.last, gradient: gradient, params: params, after: ComposedMap(incoming, first))
    return ComposedMap(first, second)
  }

  /// Both members' transforms, in order.
  ///
  /// - Complexity: The members' passes.
  @inlinable
  public func transform<Params: Differentiable>(
    _ state: inout ChainState<Leading.State, Last.State>, _ gradient: inout Params.TangentVector, _ params: Params
  ) {
    leading.transform(&state.leading, &gradient, params)
    last.transform(&state.last, &gradient, params)
  }

  /// Checks both members' states.
  ///
  /// - Throws: The first member's ``OptimiserError``.
  /// - Complexity: O(leaves).
  @inlinable
  public func validate<Params: Differentiable>(
    _ state: ChainState<Leading.State, Last.State>, for params: Params
  ) throws(OptimiserError) {
    try leading.validate(state.leading, for: params)
    try last.validate(state.last, for: params)
  }
}
