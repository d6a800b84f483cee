/// Cautious: keeps only the coordinates of a rule's step that point downhill
/// (the step's sign agrees with the gradient's), and scales those up so the
/// step keeps its size.
///
/// With g′ the gradient the base rule saw (after the chain's fused map), and
/// per leaf of *n* elements with *k* agreeing:
///
///     p ← p − η·(d ⊙ 1[dg′ > 0] · s)        s = n / (k + 1)
///
/// For a base that exposes its direction (a ``DirectionExposingRule``, whose
/// step is p ← p − η·d: ``ADOPT``), d and η are the base's own, taken before
/// they are applied, exactly as `pytorch_optimizer`'s `cautious=True` masks
/// its update before `p.add_(update, alpha=-lr)`; this matches the reference
/// in `Float` as well as in `Double`. For any other base, d = p_before −
/// p_after and η = 1: the step is recovered after the base has moved p, which
/// loses the bits of a step below half an ulp of p (exact in `Double` for the
/// references here, but in `Float` a tiny step can flip one element's mask
/// and so the leaf's s).
///
/// `s` is `pytorch_optimizer`'s rescaling (`apply_cautious`, the default);
/// `.clampedMean(_:)` gives the paper's
/// s = 1 / max(k/n, floor). The mask covers the base's whole step, including
/// any decay inside it: to mask only the gradient's part, as
/// `pytorch_optimizer`'s `cautious=True` rules do with their weight decay, put
/// the decay outside (``DecoupledWeightDecay`` around `Cautious`).
///
/// Matches `pytorch_optimizer.ADOPT(…, cautious=True)`,
/// `pytorch_optimizer.Lion(…, cautious=True)` and
/// `pytorch_optimizer.MARS(…, cautious=True)` (`mars_type="adamw"`) over
/// ``ADOPT``, ``Lion`` and ``MARS``. Not matched: MARS's `"lion"` form (it
/// masks m before the sign, so nothing is rescaled), its `"shampoo"` form (it
/// masks m before Newton–Schulz), and `pytorch_optimizer.AdEMAMix(cautious=True)`
/// (it masks only the fast average, not AdEMAMix's whole direction).
///
/// State: the base rule's. Memory: one recorded direction per parameter for
/// a ``DirectionExposingRule``, else one copy of the parameters, during a step.
///
/// - Complexity: O(*n*) per step on top of the base rule: a copy and one pass
///   per leaf on the calling thread.
/// - References: Liang, Chen, Liu and Liu, *Cautious Optimizers: Improving
///   Training with One Line of Code*, 2024.
public struct Cautious<Base: Optimiser>: Optimiser, HyperparameterDeclaring {
  /// The parameters the base rule trains.
  public typealias Params = Base.Params
  /// The base rule's state; the wrapper keeps none of its own.
  public typealias State = Base.State

  /// How the kept coordinates are scaled up.
  public enum Rescaling: Sendable, Hashable {
    /// s = n / (k + 1), as `pytorch_optimizer`.
    case pytorchOptimizer
    /// s = 1 / max(k/n, floor), as the paper (floor 10⁻³ there).
    case clampedMean(Double)
  }

  /// The rule whose steps are masked.
  public var base: Base
  /// The rescaling of the kept coordinates.
  public var rescaling: Rescaling

  /// Wraps `base`; stops with a message when a clamped-mean floor is not in (0, 1].
  @inlinable public init(_ base: Base, rescaling: Rescaling = .pytorchOptimizer) {
    (self.base, self.rescaling) = (base, rescaling)
    requireValidHyperparameters()
  }

  /// The base rule's initial state.
  @inlinable public func initialState(for params: Params) -> State { base.initialState(for: params) }

  /// The base rule's step, masked and rescaled leaf by leaf.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    requireValidHyperparameters()
    if let exposing = base as? any DirectionExposingRule,
      maskRecordedDirections(of: exposing, &state, &params, gradient, preprocessing: map)
    {
      return
    }
    let before = params
    base.update(&state, &params, gradient, preprocessing: map)
    for leaf in 0..<params.parameterLeafCount {
      let leafMap = map.forLeaf(leaf)
      before.withParameterLeaf(at: leaf) { old in
        gradient.withLeaf(at: leaf) { g in
          params.withMutableParameterLeaf(at: leaf) { p in
            maskLeaf(
              p.count, rate: 1, direction: { old[$0] - p[$0] },
              gradient: { leafMap.apply(g[$0], parameter: old[$0]) }, start: { old[$0] }, result: { p[$0] = $1 })
          }
        }
      }
    }
  }

  /// One leaf of *n* elements: start − η(d·s) where d agrees with the
  /// gradient g′ (dg′ > 0), start elsewhere, with s from the number that agree.
  @inlinable
  func maskLeaf<S: ParameterScalar>(
    _ n: Int, rate: S, direction d: (Int) -> S, gradient g: (Int) -> S, start: (Int) -> S, result: (Int, S) -> Void
  ) {
    var agreeing = 0
    for i in 0..<n where d(i) * g(i) > 0 { agreeing += 1 }
    let scale = S(rescale(agreeing: agreeing, of: n))
    for i in 0..<n {
      let di = d(i)
      result(i, di * g(i) > 0 ? start(i) - rate * (di * scale) : start(i))
    }
  }

  /// s for `agreeing` of `count` coordinates.
  @inlinable func rescale(agreeing k: Int, of n: Int) -> Double {
    switch rescaling {
    case .pytorchOptimizer: return Double(n) / Double(k + 1)
    case .clampedMean(let floor): return 1 / Swift.max(Double(k) / Double(n), floor)
    }
  }

  /// The base rule's check.
  public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try base.validate(state, for: params)
  }

  /// The clamped mean's floor in (0, 1], then the base rule's hyperparameters.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    if case .clampedMean(let floor) = rescaling {
      h.declare(floor, "floor", HyperparameterRange(0, 1, includesLowerBound: false))
    }
    h.include(base.validateHyperparameters)
  }
}
