/// ZeRO stage 1: each rank keeps the optimiser state of its share of the
/// parameters only, steps that share, and all-gathers the updated parameters.
///
/// ```swift
/// let optimiser = DataParallel(Sharded(Adam<LeafGroup<Model>>(), over: collective), over: collective)
/// var state = optimiser.initialState(for: model)     // this rank's share of m and v
/// optimiser.update(&state, &model, localGradient)    // every rank: the same model
/// ```
///
/// The rule trains a ``LeafGroup`` of the rank's pieces (see ``ShardLayout``):
/// balanced element ranges for a rule that declares ``ElementwiseRule``, whole
/// leaves for any other (LAMB, LARS, Adafactor reduce over a leaf). Each step,
/// on every rank *r*:
///
///     p|ᵣ, s|ᵣ ← rule(p|ᵣ, g|ᵣ, s|ᵣ)        (the rank's pieces)
///     p ← all-gather(p|₀, p|₁, …)
///
/// ## Mathematical properties
/// The gradient must be the same on every rank — put the wrapper inside
/// ``DataParallel``, which averages it. Then, because the rule updates each
/// leaf (or element) from its own values, and anything computed over the
/// whole model (``ClipGlobalNorm``'s norm, summed per leaf in leaf order,
/// ``SkipNonFinite``'s test) is computed outside this wrapper from the full
/// gradient, a step on N ranks is **bitwise identical** to the unsharded
/// rule's step, for every N. Whole-model transforms therefore go *outside*:
/// `DataParallel(Chain(ClipGlobalNorm(1), Sharded(Adam(), over: c)), over: c)`;
/// inside, they would see one rank's share only, and ``init(_:over:)`` refuses
/// them (see ``WholeModelReduction``).
///
/// Memory: each rank holds about 1/N of the state (Adam: 2*n*/N scalars
/// instead of 2*n*), plus one flat copy of the parameters during the gather.
///
/// - Complexity: Per step, the rule's step on *n*/N scalars, O(*n*) copies,
///   and one all-gather ((N − 1)/N · *n* scalars received per rank).
/// - References: Rajbhandari et al., *ZeRO: Memory Optimizations Toward
///   Training Trillion Parameter Models*, SC 2020; PyTorch
///   `ZeroRedundancyOptimizer`, 2021.
public struct Sharded<Params: Differentiable, Rule: Optimiser, Group: Collective>: Optimiser, DistributedWrapper
where Rule.Params == LeafGroup<Params> {
  /// The rule each rank runs on its share.
  public var rule: Rule
  /// The ranks that share the state.
  public let collective: Group

  /// Creates the wrapper.
  ///
  /// - Parameters:
  ///   - rule: Any rule over a ``LeafGroup``; element ranges are used when it
  ///     declares ``ElementwiseRule``, whole leaves otherwise.
  ///   - collective: This rank's collective.
  /// - Precondition: `rule` contains no ``WholeModelReduction`` (a
  ///   ``ClipGlobalNorm``, a ``SkipNonFinite``): on one rank's share it would
  ///   compute the wrong norm or test, so it must wrap ``Sharded`` instead.
  @inlinable public init(_ rule: Rule, over collective: Group) {
    if let found = wholeModelReduction(in: rule) {
      preconditionFailure(
        "Sharded: \(found) reads the whole model, but inside Sharded it would see one rank's share only; "
          + "put it outside: DataParallel(Chain(ClipGlobalNorm(1), Sharded(rule, over: c)), over: c)")
    }
    (self.rule, self.collective) = (rule, collective)
  }

  /// This rank's layout and the rule's state for its share.
  ///
  /// - Complexity: Encoding is O(the share's scalars).
  public struct State: Codable, Sendable {
    /// The wrapper's name, checked when the state is decoded.
    var rule = RuleTag<Sharded>()
    /// The rank this state belongs to.
    public var rank: Int
    /// Every rank's pieces.
    public var layout: ShardLayout
    /// The rule's state for this rank's pieces.
    public var shard: Rule.State

    /// Creates a state.
    ///
    /// - Complexity: O(1).
    @inlinable public init(rank: Int, layout: ShardLayout, shard: Rule.State) {
      (self.rank, self.layout, self.shard) = (rank, layout, shard)
    }
  }

  /// Whether the rule's pieces may be element ranges.
  ///
  /// - Complexity: O(1).
  @inlinable public var splitsLeaves: Bool { rule is any ElementwiseRule }

  /// The layout of `params` over this collective's ranks.
  ///
  /// - Complexity: O(leaves + ranks).
  @inlinable public func layout(for params: Params) -> ShardLayout {
    ShardLayout(params, ranks: collective.size, splitsLeaves: splitsLeaves)
  }

  /// The rule's initial state for this rank's share.
  ///
  /// - Complexity: O(the share's scalars).
  @inlinable public func initialState(for params: Params) -> State {
    let layout = layout(for: params)
    return State(rank: collective.rank, layout: layout, shard: rule.initialState(for: layout.group(of: params, rank: collective.rank)))
  }

  /// Steps this rank's share, then all-gathers the parameters.
  ///
  /// - Precondition: The state was made for this rank and this number of
  ///   ranks, and the gradient's shapes match the parameters'.
  /// - Complexity: The rule on *n*/N scalars, O(*n*) copies, one all-gather.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    let rank = collective.rank
    precondition(
      state.rank == rank && state.layout.ranks == collective.size,
      "Sharded: the state is rank \(state.rank)'s of \(state.layout.ranks), but this is rank \(rank) of \(collective.size)")
    if gradient.leafCount != 0 { LeafWalk.checkShapes(of: params, gradient, role: "gradient") }
    let layout = state.layout, mine = layout.pieces[rank]
    var group = layout.group(of: params, rank: rank)
    let groupGradient = layout.group(of: gradient, for: params, rank: rank)
    rule.update(
      &state.shard, &group, groupGradient,
      preprocessing: Partition<Params, Rule, Rule>.Reindexed(map, indices: mine.map(\.leaf)))
    let counts = layout.counts, flat = FlatLeaves(params)
    var local: [Params.TangentVector.Scalar] = []
    local.reserveCapacity(counts[rank])
    for index in group.leaves.indices { group.leaves[index].withUnsafeBufferPointer { local.append(contentsOf: $0) } }
    var full = [Params.TangentVector.Scalar](repeating: 0, count: flat.total)
    local.withUnsafeBufferPointer { local in
      full.withUnsafeMutableBufferPointer { full in collective.allGather(local, counts: counts, into: full) }
    }
    full.withUnsafeBufferPointer { flat.write($0, intoParameters: &params) }
  }

  /// Checks that the state is this rank's, that its layout is the one this
  /// rule and collective give `params`, and the rule's state for the share.
  ///
  /// - Throws: ``OptimiserError/invalidState(_:)`` naming the rank, world
  ///   size or layout that differs, or what the rule throws.
  /// - Complexity: O(leaves + ranks) plus the rule's check.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    guard state.rank == collective.rank, state.layout.ranks == collective.size else {
      throw .invalidState(
        "the sharded state is rank \(state.rank)'s of \(state.layout.ranks) ranks, but this is rank \(collective.rank) of \(collective.size); consolidate it and re-shard")
    }
    guard state.layout == layout(for: params) else {
      throw .invalidState("the sharded state's layout does not fit these parameters and this rule")
    }
    try rule.validate(state.shard, for: state.layout.group(of: params, rank: state.rank))
  }

  /// The rule's check.
  ///
  /// - Throws: What the rule throws.
  /// - Complexity: O(1).
  @inlinable public func validateHyperparameters() throws(OptimiserError) { try rule.validateHyperparameters() }

  /// The rule, as checkpoints describe this wrapper.
  public var describedRule: Any { rule }
}
