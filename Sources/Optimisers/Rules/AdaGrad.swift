/// AdaGrad: scales each coordinate by the inverse root of its summed squared
/// gradients.
///
/// With g′ = map(g) and t the step number counted from 1:
///
///     ηₜ = η / (1 + (t − 1) · learningRateDecay)
///     s ← s + g′²                         (s₀ = initialAccumulatorValue)
///     p ← p − ηₜ · g′ / (√s + ε)
///
/// ε is added outside the square root. This is
/// `torch.optim.Adagrad(params, lr=η, lr_decay=, initial_accumulator_value=, eps=ε)`;
/// the defaults follow PyTorch. (`optax.adagrad` differs: it puts ε inside the
/// square root and starts the sum at 0.1.)
///
/// State: the step count and the sum of squares *s*. Memory: one buffer per
/// parameter.
///
/// - Complexity: O(*n*) per step, one fused pass reading p, g, s and writing
///   p, s.
/// - References: Duchi, Hazan and Singer, *Adaptive Subgradient Methods for
///   Online Learning and Stochastic Optimization*, JMLR 2011.
public struct AdaGrad<Params: Differentiable>: KernelRule {
  /// The learning rate η; default 0.01.
  public var learningRate: Double
  /// The inverse decay of the learning rate per step; default 0.
  public var learningRateDecay: Double
  /// The value every entry of the sum of squares starts at; default 0.
  public var initialAccumulatorValue: Double
  /// The denominator's guard ε > 0, added outside the square root; default 1e-10.
  public var epsilon: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.01.
  ///   - learningRateDecay: ≥ 0; default 0.
  ///   - initialAccumulatorValue: ≥ 0; default 0.
  ///   - epsilon: ε > 0; default 1e-10.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 0.01, learningRateDecay: Double = 0, initialAccumulatorValue: Double = 0,
    epsilon: Double = 1e-10
  ) {
    self.learningRate = learningRate
    self.learningRateDecay = learningRateDecay
    self.initialAccumulatorValue = initialAccumulatorValue
    self.epsilon = epsilon
    requireValidHyperparameters()
  }

  /// The step count and the sum of squared gradients.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: BufferedState, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<AdaGrad>()
    /// The number of updates applied so far.
    public var step: Int
    /// The running sum of squared gradients *s*, shaped like the parameters.
    public var sumOfSquares: Params.TangentVector

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - sumOfSquares: *s*.
    /// - Complexity: O(1).
    @inlinable
    public init(step: Int, sumOfSquares: Params.TangentVector) {
      self.step = step
      self.sumOfSquares = sumOfSquares
    }

    /// The buffers, in the kernel's order.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&sumOfSquares, "sumOfSquares")
    }
  }

  /// Step 0 and a sum of squares filled with `initialAccumulatorValue`.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    State(step: 0, sumOfSquares: Elementwise.filled(params.zeroTangentVector, with: initialAccumulatorValue))
  }

  /// One step, fused over the parameters, the gradient and the state's buffers.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let rate = S(learningRate / (1 + Double(t - 1) * learningRateDecay))
    let eps = S(epsilon)
    walk { b in
      let (p, s) = (b.p, b[0])
      for i in b.indices {
        let gi = b.gradient(i)
        let si = s[i] + gi * gi
        s[i] = si
        p[i] -= rate * (gi / (S.squareRoot(of: si) + eps))
      }
    }
  }

  /// Declares each hyperparameter's range.
  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.nonNegative(learningRateDecay, "learningRateDecay")
    h.nonNegative(initialAccumulatorValue, "initialAccumulatorValue"); h.positive(epsilon, "epsilon")
  }
}
