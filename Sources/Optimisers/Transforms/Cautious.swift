/// Cautious: keeps only the coordinates of a rule's step that point downhill
/// (the step's sign agrees with the gradient's), and scales those up so the
/// step keeps its size.
///
/// With Δ = p_before − p_after the step the base rule takes (the direction it
/// descends along), g′ the gradient the base rule saw (after the chain's
/// fused map), and per leaf of *n* elements with *k* agreeing
/// (Δᵢg′ᵢ > 0):
///
///     p ← p_before − Δ ⊙ 1[Δg′ > 0] · s        s = n / (k + 1)
///
/// `s` is `pytorch_optimizer`'s rescaling (`apply_cautious`, the default);
/// `.clampedMean(_:)` gives the paper's
/// s = 1 / max(k/n, floor). The mask covers the base's whole step, including
/// any decay inside it: to mask only the gradient's part, as
/// `pytorch_optimizer`'s `cautious=True` rules do with their weight decay, put
/// the decay outside (``DecoupledWeightDecay`` around `Cautious`).
///
/// Matches `pytorch_optimizer.ADOPT(…, cautious=True)` and
/// `pytorch_optimizer.Lion(…, cautious=True)` over ``ADOPT`` and ``Lion``.
/// (`pytorch_optimizer.AdEMAMix(cautious=True)` masks only its fast average,
/// which a wrapper cannot see.)
///
/// State: the base rule's. Memory: one copy of the parameters during a step.
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
    typealias S = Params.TangentVector.Scalar
    requireValidHyperparameters()
    let before = params
    base.update(&state, &params, gradient, preprocessing: map)
    for leaf in 0..<params.parameterLeafCount {
      let leafMap = map.forLeaf(leaf)
      before.withParameterLeaf(at: leaf) { old in
        gradient.withLeaf(at: leaf) { g in
          params.withMutableParameterLeaf(at: leaf) { p in
            var agreeing = 0
            for i in 0..<p.count where (old[i] - p[i]) * leafMap.apply(g[i], parameter: old[i]) > 0 { agreeing += 1 }
            let scale = S(rescale(agreeing: agreeing, of: p.count))
            for i in 0..<p.count {
              let step = old[i] - p[i]
              p[i] = step * leafMap.apply(g[i], parameter: old[i]) > 0 ? old[i] - step * scale : old[i]
            }
          }
        }
      }
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
