/// A transform applied only to some parameter leaves; the others' gradients pass
/// through unchanged (optax's `masked`).
///
/// ```swift
/// WeightDecay(1e-4).masked { $0.hasSuffix("weight") }    // decay weights, not biases
/// WeightDecay(1e-4).masked(.rank(atLeast: 2))             // the same by rank
/// ClipGlobalNorm(1).masked(.paths(\Model.encoder))        // norm over the encoder only
/// ```
///
/// The inner transform sees the unselected leaves as zeros, so a reduction (the
/// norm of ``ClipGlobalNorm``) is taken over the selected leaves only, as in
/// optax, where the inner transform sees only the masked subtree. The selector
/// is evaluated once, in ``initialState(for:)``; the mask lives in the state.
///
///     g′ₗ = T(g)ₗ   for selected leaves l
///     g′ₗ = gₗ      otherwise
///
/// - Complexity: The inner transform's cost; fusing stays fusing (one flag test
///   per leaf, hoisted out of the element loop by the compiler).
/// - References: Babuschkin et al., optax `masked`, 2020; Loshchilov and Hutter,
///   *Decoupled Weight Decay Regularization*, ICLR 2019 (no decay on biases).
public struct Masked<Inner: GradientTransform>: GradientTransform {
  /// The transform applied to the selected leaves.
  public var inner: Inner
  /// Which leaves the transform applies to. Fixed: the mask is evaluated once,
  /// in ``initialState(for:)``, and kept in the state.
  public let selector: LeafSelector
  /// The inner map, restricted to the selected leaves.
  public typealias Map = Selected

  /// Creates the masked transform.
  ///
  /// - Parameters:
  ///   - inner: The transform.
  ///   - selector: The leaves it applies to.
  @inlinable public init(_ inner: Inner, selecting selector: LeafSelector) {
    (self.inner, self.selector) = (inner, selector)
  }

  /// The mask, fixed when the state was created, and the inner state.
  ///
  /// - Complexity: Encoding is O(leaves) plus the inner state's cost.
  public struct State: Codable, Sendable {
    /// The wrapper's name, checked when the state is decoded.
    var rule = RuleTag<Masked>()
    /// One flag per leaf: whether the inner transform applies to it.
    public var mask: [Bool]
    /// The inner transform's state.
    public var inner: Inner.State

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - mask: One flag per leaf.
    ///   - inner: The inner state.
    @inlinable public init(mask: [Bool], inner: Inner.State) {
      (self.mask, self.inner) = (mask, inner)
    }
  }

  /// The map handed to the inner transform: the incoming map on selected leaves,
  /// zero on the others.
  ///
  /// - Complexity: O(1) per element.
  /// - References: optax `masked`.
  public struct Gate<Base: GradientMap>: GradientMap {
    /// The incoming map, for every leaf.
    public var base: Base
    /// The incoming map for the current leaf.
    public var current: Base
    /// One flag per leaf.
    public var mask: [Bool]
    /// Whether the current leaf is selected.
    public var isOn: Bool

    /// Creates the gate; rules call ``forLeaf(_:)`` before applying it.
    @inlinable public init(_ base: Base, mask: [Bool]) {
      (self.base, self.current, self.mask) = (base, base, mask)
      self.isOn = mask.first ?? false
    }

    /// The gate for leaf `index`.
    @inlinable public func forLeaf(_ index: Int) -> Gate {
      var copy = self
      copy.current = base.forLeaf(index)
      copy.isOn = mask[index]
      return copy
    }

    /// The incoming map's value on a selected leaf, 0 otherwise.
    @inlinable public func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar {
      isOn ? current.apply(gradient, parameter: parameter) : 0
    }
  }

  /// The masked map: the inner map on selected leaves, the identity elsewhere.
  ///
  /// - Complexity: O(1) per element.
  /// - References: optax `masked`.
  public struct Selected: GradientMap {
    /// The inner map, for every leaf.
    public var inner: Inner.Map
    /// The inner map for the current leaf.
    public var current: Inner.Map
    /// One flag per leaf.
    public var mask: [Bool]
    /// Whether the current leaf is selected.
    public var isOn: Bool

    /// Creates the map; rules call ``forLeaf(_:)`` before applying it.
    @inlinable public init(_ inner: Inner.Map, mask: [Bool]) {
      (self.inner, self.current, self.mask) = (inner, inner, mask)
      self.isOn = mask.first ?? false
    }

    /// The map for leaf `index`.
    @inlinable public func forLeaf(_ index: Int) -> Selected {
      var copy = self
      copy.current = inner.forLeaf(index)
      copy.isOn = mask[index]
      return copy
    }

    /// The inner map's value on a selected leaf, *g* otherwise.
    @inlinable public func apply<Scalar: ParameterScalar>(_ gradient: Scalar, parameter: Scalar) -> Scalar {
      isOn ? current.apply(gradient, parameter: parameter) : gradient
    }
  }

  /// Fuses exactly when the inner transform does.
  @inlinable public static var fusesIntoRule: Bool { Inner.fusesIntoRule }

  /// Evaluates the selector on every leaf and creates the inner state.
  ///
  /// - Complexity: O(leaves) predicate calls plus the inner cost.
  @inlinable public func initialState<Params: Differentiable>(for params: Params) -> State {
    State(mask: selector.mask(for: params), inner: inner.initialState(for: params))
  }

  /// The inner map, restricted to the selected leaves.
  ///
  /// - Complexity: The inner transform's cost.
  @inlinable
  public func map<Params: Differentiable, Incoming: GradientMap>(
    _ state: inout State, gradient: Params.TangentVector, params: Params, after incoming: Incoming
  ) -> Selected {
    let mask = state.mask
    precondition(
      mask.count == params.parameterLeafCount,
      "Masked: the state's mask has \(mask.count) leaves, but the parameters have \(params.parameterLeafCount)")
    let innerMap = inner.map(&state.inner, gradient: gradient, params: params, after: Gate(incoming, mask: mask))
    return Selected(innerMap, mask: mask)
  }

  /// Applies the inner transform to a copy in which the unselected leaves are
  /// zero, then copies back the selected leaves.
  ///
  /// - Complexity: O(*n*), with one copy of the gradient when the inner
  ///   transform does not fuse.
  @inlinable
  public func transform<Params: Differentiable>(
    _ state: inout State, _ gradient: inout Params.TangentVector, _ params: Params
  ) {
    if Inner.fusesIntoRule {
      let own = map(&state, gradient: gradient, params: params, after: IdentityGradientMap())
      own.materialise(into: &gradient, params: params)
      return
    }
    let mask = state.mask
    var selected = gradient
    Gate(IdentityGradientMap(), mask: mask).materialise(into: &selected, params: params)
    inner.transform(&state.inner, &selected, params)
    if gradient.leafCount == 0 { gradient = params.zeroTangentVector }
    for leaf in 0..<params.parameterLeafCount where mask[leaf] {
      selected.withLeaf(at: leaf) { source in
        gradient.withMutableLeaf(at: leaf) { target in
          for i in 0..<target.count { target[i] = source[i] }
        }
      }
    }
  }

  /// Checks the mask's length and the inner state.
  ///
  /// - Throws: ``OptimiserError/leafCountMismatch(buffer:expected:found:)`` or the
  ///   inner transform's error.
  /// - Complexity: O(leaves).
  @inlinable
  public func validate<Params: Differentiable>(_ state: State, for params: Params) throws(OptimiserError) {
    guard state.mask.count == params.parameterLeafCount else {
      throw .leafCountMismatch(buffer: "mask", expected: params.parameterLeafCount, found: state.mask.count)
    }
    try inner.validate(state.inner, for: params)
  }

  /// Checks the inner transform's hyperparameters.
  @inlinable public func validateHyperparameters() throws(OptimiserError) {
    try inner.validateHyperparameters()
  }
}

extension Masked.State: Equatable where Inner.State: Equatable {}

extension GradientTransform {
  /// This transform, applied only to the leaves `selector` selects.
  ///
  /// - Parameter selector: The leaves to transform, such as `.rank(atLeast: 2)`.
  @inlinable public func masked(_ selector: LeafSelector) -> Masked<Self> {
    Masked(self, selecting: selector)
  }

  /// This transform, applied only to the leaves whose dotted name satisfies
  /// `isSelected`: `WeightDecay(1e-4).masked { $0.hasSuffix("weight") }`.
  ///
  /// - Parameter isSelected: A test on leaf names.
  @inlinable public func masked(_ isSelected: @escaping @Sendable (String) -> Bool) -> Masked<Self> {
    Masked(self, selecting: .named(isSelected))
  }
}
