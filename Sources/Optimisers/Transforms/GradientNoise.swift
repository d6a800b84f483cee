/// Seeded Gaussian gradient noise with annealed variance (optax's `add_noise`).
///
/// At step t (counted from 1):
///
///     σₜ² = η / t^γ
///     g ← g + σₜ · n,   n ~ N(0, 1) independently per element
///
/// The schedule is `optax.add_noise(eta=η, gamma=γ, seed=)`'s. The noise is
/// not JAX's bits (its generator is JAX's own): element *i* of leaf *l* at
/// step t is ``standardNormal(seed:step:leaf:index:)``, a Marsaglia polar draw
/// from a ``SplitMix64`` seeded with the counter-based key of (seed, t, l, i)
/// (see ``CounterRandom``). So a step is reproducible from the state (only the
/// step count), a resumed run draws the noise the uninterrupted one would
/// have, and the result does not depend on threads or on the other leaves.
///
/// ```swift
/// let optimiser = Chain(GradientNoise(eta: 0.01), Momentum<Model>())
/// ```
///
/// - Complexity: O(*n*) per step, one pass; each element costs a logarithm
///   (about 1.27 draws of two uniforms on average).
/// - References: Neelakantan, Vilnis, Le, Sutskever, Kaiser, Kurach and
///   Martens, *Adding Gradient Noise Improves Learning for Very Deep
///   Networks*, 2015 (η ∈ {0.01, 0.3, 1}, γ = 0.55).
public struct GradientNoise: GradientTransform, HyperparameterDeclaring {
  /// The number of steps taken; the noise of a step depends only on it, the seed and the position.
  public struct State: Codable, Sendable, Hashable {
    /// The number of steps taken.
    public var step: Int
    /// A state after `step` steps.
    @inlinable public init(step: Int = 0) { self.step = step }
  }
  /// The work happens in ``transform(_:_:_:)``.
  public typealias Map = IdentityGradientMap

  /// The initial variance η ≥ 0; no default (optax has none).
  public var eta: Double
  /// The decay exponent γ ≥ 0 of the variance; default 0.55 (the paper's).
  public var gamma: Double
  /// The seed of the noise; default 0.
  public var seed: UInt64

  /// Creates the transform; stops with a message unless η, γ ≥ 0 and finite.
  @inlinable public init(eta: Double, gamma: Double = 0.55, seed: UInt64 = 0) {
    (self.eta, self.gamma, self.seed) = (eta, gamma, seed)
    requireValidHyperparameters()
  }

  /// `false`: the noise depends on each element's position.
  @inlinable public static var fusesIntoRule: Bool { false }

  /// Step 0.
  @inlinable public func initialState<Params: Differentiable>(for params: Params) -> State { State() }

  /// σₜ = √(η / t^γ) at step `t` (counted from 1).
  @inlinable public func standardDeviation(step t: Int) -> Double { (eta / power(Double(t), gamma)).squareRoot() }

  /// The standard normal deviate of element `index` of leaf `leaf` at step
  /// `step`: ``SplitMix64/nextStandardNormal()`` from a generator seeded with
  /// `CounterRandom.mix(CounterRandom.stream(seed:step:leaf:) &+ index · 0x9E3779B97F4A7C15)`.
  @inlinable
  public static func standardNormal(seed: UInt64, step: Int, leaf: Int, index: Int) -> Double {
    let key = CounterRandom.stream(seed: seed, step: step, leaf: leaf)
    var generator = SplitMix64(seed: CounterRandom.mix(key &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15))
    return generator.nextStandardNormal()
  }

  /// Adds this step's noise to every element and counts the step.
  @inlinable
  public func transform<Params: Differentiable>(
    _ state: inout State, _ gradient: inout Params.TangentVector, _ params: Params
  ) {
    requireValidHyperparameters()
    typealias S = Params.TangentVector.Scalar
    state.step += 1
    let t = state.step, sigma = S(standardDeviation(step: t)), seed = self.seed
    var leaf = 0
    GradientLeafRewrite.forEachLeaf(params, &gradient) { _, _, g in
      for i in g.indices { g[i] += sigma * S(Self.standardNormal(seed: seed, step: t, leaf: leaf, index: i)) }
      leaf += 1
    }
  }

  /// Checks that the step count is not negative.
  ///
  /// - Throws: ``OptimiserError/invalidState(_:)``.
  public func validate<Params: Differentiable>(_ state: State, for params: Params) throws(OptimiserError) {
    try LeafWalk.validate(step: state.step)
  }

  /// η ≥ 0 and γ ≥ 0, finite.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(eta, "eta"); h.nonNegative(gamma, "gamma")
  }
}
