/// AdaGrad: scales each coordinate by the inverse root of its summed squared
/// gradients.
///
/// With g′ = map(g) and t the step number counted from 1:
///
///     ηₜ = η / (1 + (t − 1) · learningRateDecay)
///     s ← s + g′²                         (s₀ = initialAccumulatorValue)
///     p ← p − ηₜ · g′ / (√s + ε)          (.outside, PyTorch)
///     p ← p − ηₜ · g′ / √(s + ε)          (.inside, optax; 0 where s = 0)
///
/// with g′ = map(g) + λp (torch's coupled `weight_decay`, 0 by default). The
/// default, ε outside the square root, is
/// `torch.optim.Adagrad(params, lr=η, lr_decay=, initial_accumulator_value=, eps=ε,
/// weight_decay=λ)`, whose defaults it follows;
/// `AdaGrad(learningRate: η, initialAccumulatorValue: 0.1, epsilon: 1e-7,
/// epsilonPlacement: .inside)` is `optax.adagrad(η)` (ε inside, the sum
/// starting at 0.1).
///
/// State: the step count and the sum of squares *s*. Memory: one buffer per
/// parameter.
///
/// - Complexity: O(*n*) per step, one fused pass reading p, g, s and writing
///   p, s.
/// - References: Duchi, Hazan and Singer, *Adaptive Subgradient Methods for
///   Online Learning and Stochastic Optimization*, JMLR 2011.
public struct AdaGrad<Params: Differentiable>: KernelRule, CheckpointDescribable {
  /// Where ε enters the denominator: outside the square root (torch) or inside (optax).
  public typealias EpsilonPlacement = RMSProp<Params>.EpsilonPlacement

  /// The learning rate η ≥ 0 (0.01), its inverse decay per step ≥ 0 (0), the
  /// value ≥ 0 every entry of the sum of squares starts at (0), the guard ε > 0
  /// (1e-10) and torch's coupled weight decay λ ≥ 0 (0).
  public var learningRate, learningRateDecay, initialAccumulatorValue, epsilon, weightDecay: Double
  /// Where ε goes (``RMSProp/EpsilonPlacement/outside``, torch's).
  public var epsilonPlacement: EpsilonPlacement

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 0.01, learningRateDecay: Double = 0, initialAccumulatorValue: Double = 0,
    epsilon: Double = 1e-10, epsilonPlacement: EpsilonPlacement = .outside, weightDecay: Double = 0
  ) {
    (self.learningRate, self.learningRateDecay, self.initialAccumulatorValue) = (learningRate, learningRateDecay, initialAccumulatorValue)
    (self.epsilon, self.epsilonPlacement, self.weightDecay) = (epsilon, epsilonPlacement, weightDecay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, decay ≥ 0, initial value ≥ 0, ε > 0, λ ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.nonNegative(learningRateDecay, "learningRateDecay")
    h.nonNegative(initialAccumulatorValue, "initialAccumulatorValue"); h.positive(epsilon, "epsilon")
    h.option(weightDecay, "weightDecay")
    h.option(epsilonPlacement != .outside, "epsilonPlacement")
  }

  /// The step count and the sum of squared gradients.
  public struct State: BufferedState, Equatable {
    var rule = RuleTag<AdaGrad>()
    /// The number of updates applied so far.
    public var step: Int
    /// The running sum of squared gradients *s*, shaped like the parameters.
    public var sumOfSquares: Params.TangentVector

    /// A state from its parts.
    @inlinable public init(step: Int, sumOfSquares: Params.TangentVector) {
      (self.step, self.sumOfSquares) = (step, sumOfSquares)
    }

    /// The one buffer.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&sumOfSquares, "sumOfSquares")
    }
  }

  /// Step 0 and a sum of squares filled with `initialAccumulatorValue`.
  @inlinable public func initialState(for params: Params) -> State {
    State(step: 0, sumOfSquares: Elementwise.filled(params.zeroTangentVector, with: initialAccumulatorValue))
  }

  /// s ← s + g′²; p ← p − ηₜ g′ / d, fused over p, g and s.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let rate = Scalar(learningRate / (1 + Double(t - 1) * learningRateDecay)), eps = Scalar(epsilon)
    let inside = epsilonPlacement == .inside, l2 = Scalar(weightDecay)
    walk { b in
      let s = b[0]
      b.forEachGradient(weightDecay: l2) { i, g in
        let si = s[i] + g * g
        s[i] = si
        if inside {
          b.p[i] -= si > 0 ? rate * (g / Scalar.squareRoot(of: si + eps)) : 0
        } else {
          b.p[i] -= rate * (g / (Scalar.squareRoot(of: si) + eps))
        }
      }
    }
  }
}
