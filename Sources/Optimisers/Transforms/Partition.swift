/// Per-parameter groups: one rule for the selected leaves, another for the rest
/// (PyTorch's parameter groups, optax's `multi_transform`).
///
/// ```swift
/// // A smaller learning rate for the embedding:
/// let optimiser = Partition(Adam(learningRate: 1e-4), for: \Model.embedding,
///                           otherwise: Adam(learningRate: 1e-3))
/// // Frozen leaves never move:
/// let frozen = Partition(Frozen(), for: \Model.encoder, otherwise: SGD(learningRate: 0.1))
/// // By a predicate over leaf names (the parameter type named once):
/// let byName = Partition<Model, _, _>(SGD(), for: .named { $0.hasPrefix("head.") },
///                                     otherwise: Adam())
/// // More than two groups: nest partitions on the rest.
/// ```
///
/// Each rule trains a ``LeafGroup`` of the parameters — copies of its leaves —
/// so its state holds buffers for its own leaves only: `Adam<LeafGroup<Model>>`.
/// Each step, for each group: copy its leaves and its gradient's leaves, let its
/// rule update them, copy them back. An elementwise map from an enclosing
/// ``Chain`` is applied with each leaf's index in the full parameters (so
/// masks and per-leaf clips stay right), and reductions before the partition
/// (``ClipGlobalNorm``) see the whole gradient. ``Frozen`` groups are skipped
/// without copying, so they stay bitwise unchanged.
///
///     p[selected] ← selectedRule(p[selected], g[selected])
///     p[rest]     ← restRule(p[rest], g[rest])
///
/// A partition of a rule with itself on both sides equals the rule, bit for
/// bit, whenever the rule updates each leaf from that leaf alone (every rule in
/// this package: per-leaf statistics such as LAMB's trust ratio or Adafactor's
/// factored moments included).
///
/// - Complexity: Both rules' steps plus copies of the parameters and gradient in
///   and out, O(*n*); the leaf indices are computed once, in the state.
/// - References: PyTorch parameter groups (`torch.optim.Optimizer`), 2017; optax
///   `multi_transform` / `partition`, 2021.
public struct Partition<Params: Differentiable, Selected: Optimiser, Rest: Optimiser>: Optimiser
where Selected.Params == LeafGroup<Params>, Rest.Params == LeafGroup<Params> {
  /// The rule for the selected leaves.
  public var selected: Selected
  /// The rule for every other leaf.
  public var rest: Rest
  /// Which leaves go to ``selected``. Fixed: it is evaluated once, in
  /// ``initialState(for:)``, and the leaf lists are kept in the state.
  public let selector: LeafSelector

  /// Creates the partition.
  ///
  /// - Parameters:
  ///   - selected: The rule for the selected leaves.
  ///   - selector: Which leaves it trains.
  ///   - rest: The rule for the other leaves.
  @inlinable public init(_ selected: Selected, for selector: LeafSelector, otherwise rest: Rest) {
    (self.selected, self.rest, self.selector) = (selected, rest, selector)
  }

  /// The leaf indices of both groups and both rules' states.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: Codable, Sendable {
    /// The wrapper's name, checked when the state is decoded.
    var rule = RuleTag<Partition>()
    /// The leaf indices the selected rule trains, ascending.
    public var selectedLeaves: [Int]
    /// The leaf indices the other rule trains, ascending.
    public var restLeaves: [Int]
    /// The selected rule's state.
    public var selected: Selected.State
    /// The other rule's state.
    public var rest: Rest.State

    /// Creates a state.
    @inlinable
    public init(selectedLeaves: [Int], restLeaves: [Int], selected: Selected.State, rest: Rest.State) {
      (self.selectedLeaves, self.restLeaves, self.selected, self.rest) = (selectedLeaves, restLeaves, selected, rest)
    }
  }

  /// A map that applies an enclosing map with each group leaf's index in the
  /// full parameters.
  ///
  /// - Complexity: O(1) per element.
  /// - References: optax `multi_transform`.
  public struct Reindexed<Base: GradientMap>: GradientMap {
    /// The enclosing map, for every leaf.
    public var base: Base
    /// The enclosing map for the current leaf.
    public var current: Base
    /// The group's leaf indices in the full parameters.
    public var indices: [Int]

    /// Creates the map; rules call ``forLeaf(_:)`` before applying it.
    @inlinable public init(_ base: Base, indices: [Int]) {
      (self.base, self.current, self.indices) = (base, base, indices)
    }

    /// The enclosing map for the full parameters' leaf `indices[index]`.
    @inlinable public func forLeaf(_ index: Int) -> Reindexed {
      var copy = self
      copy.current = base.forLeaf(indices[index])
      return copy
    }

    /// The enclosing map's value.
    @inlinable public func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar {
      current.apply(gradient, parameter: parameter)
    }
  }

  /// Evaluates the selector on every leaf, and both rules' initial states for
  /// their groups.
  ///
  /// - Complexity: O(*n*) (the groups are copied once to size the states).
  @inlinable public func initialState(for params: Params) -> State {
    var chosen: [Int] = []
    var others: [Int] = []
    for leaf in 0..<params.parameterLeafCount {
      if selector.contains(leaf: leaf, of: params) { chosen.append(leaf) } else { others.append(leaf) }
    }
    return State(
      selectedLeaves: chosen, restLeaves: others,
      selected: selected.initialState(for: LeafGroup.gather(params, leaves: chosen)),
      rest: rest.initialState(for: LeafGroup.gather(params, leaves: others)))
  }

  /// Steps each group with its rule.
  ///
  /// - Complexity: Both rules' steps plus O(*n*) copies.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    if gradient.leafCount != 0 { LeafWalk.checkShapes(of: params, gradient, role: "gradient") }
    precondition(
      state.selectedLeaves.count + state.restLeaves.count == params.parameterLeafCount,
      "Partition: the state covers \(state.selectedLeaves.count + state.restLeaves.count) leaves, but the parameters have \(params.parameterLeafCount)")
    Partition.step(selected, &state.selected, state.selectedLeaves, &params, gradient, map)
    Partition.step(rest, &state.rest, state.restLeaves, &params, gradient, map)
  }

  /// One group's step: gather, update, scatter (nothing for ``Frozen``).
  @inlinable
  static func step<Rule: Optimiser, Map: GradientMap>(
    _ rule: Rule, _ state: inout Rule.State, _ leaves: [Int], _ params: inout Params,
    _ gradient: Params.TangentVector, _ map: Map
  ) where Rule.Params == LeafGroup<Params> {
    if rule is any FrozenRule || leaves.isEmpty { return }
    let groupGradient = LeafGroup<Params>.TangentVector.gather(gradient, leaves: leaves, of: params)
    // Move the group's tensors out and back when the walk can address them;
    // copy them out and back otherwise.
    if var group = LeafGroup.moving(from: &params, leaves: leaves) {
      rule.update(&state, &group, groupGradient, preprocessing: Reindexed(map, indices: leaves))
      group.moveBack(into: &params)
      return
    }
    var group = LeafGroup.gather(params, leaves: leaves)
    rule.update(&state, &group, groupGradient, preprocessing: Reindexed(map, indices: leaves))
    group.scatter(into: &params)
  }

  /// Checks that the index lists cover every leaf once, and both rules' states.
  ///
  /// - Throws: ``OptimiserError`` naming what differs.
  /// - Complexity: O(leaves).
  @inlinable public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    let all = (state.selectedLeaves + state.restLeaves).sorted()
    guard all == Array(0..<params.parameterLeafCount) else {
      throw .invalidState("the partition's leaf lists \(state.selectedLeaves) and \(state.restLeaves) do not cover 0..<\(params.parameterLeafCount) once each")
    }
    try selected.validate(state.selected, for: LeafGroup.gather(params, leaves: state.selectedLeaves))
    try rest.validate(state.rest, for: LeafGroup.gather(params, leaves: state.restLeaves))
  }

  /// Checks both rules' hyperparameters.
  @inlinable public func validateHyperparameters() throws(OptimiserError) {
    try selected.validateHyperparameters()
    try rest.validateHyperparameters()
  }
}

extension Partition where Params: ParameterContainer {
  /// Creates the partition from key paths to fields of a ``Parameterised``
  /// model: `Partition(Frozen(), for: \Model.embedding, otherwise: Adam())`.
  ///
  /// - Parameters:
  ///   - selected: The rule for the leaves at or under `paths`.
  ///   - paths: Key paths to listed or nested parameter fields.
  ///   - rest: The rule for the other leaves.
  /// - Precondition: Every path is a parameter field of the model.
  /// - Complexity: O(leaves selected).
  @inlinable
  public init(_ selected: Selected, for paths: PartialKeyPath<Params>..., otherwise rest: Rest) {
    self.init(selected, for: LeafSelector.paths(paths), otherwise: rest)
  }
}

extension Partition.State: Equatable where Selected.State: Equatable, Rest.State: Equatable {}
