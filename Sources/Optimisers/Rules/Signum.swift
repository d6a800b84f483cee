/// Signum: sign descent on an exponential moving average of the gradient
/// (signSGD with momentum).
///
/// With g′ = map(g) and *m* starting at zero:
///
///     m ← (1 − β) g′ + β m
///     p ← p − η · sign(m)
///
/// The average is not bias-corrected (the sign ignores its scale), and
/// sign(0) = 0. With `momentum` 0 this is signSGD. This reproduces
/// `optax.signum(η, beta=β)`; the default β = 0.9 is optax's.
///
/// State: the step count and *m*. Memory: one buffer per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Bernstein et al., *signSGD: Compressed Optimisation for
///   Non-Convex Problems*, ICML 2018.
public struct Signum<Params: Differentiable>: KernelRule {
  /// The learning rate η, the size of every coordinate's step; default 0.01.
  public var learningRate: Double
  /// The averaging coefficient β ∈ [0, 1); default 0.9.
  public var momentum: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.01.
  ///   - momentum: β ∈ [0, 1); default 0.9.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(learningRate: Double = 0.01, momentum: Double = 0.9) {
    self.learningRate = learningRate
    self.momentum = momentum
    requireValidHyperparameters()
  }

  /// The step count and the moving average.
  ///
  /// - Complexity: Encoding is O(*n*).
  public struct State: BufferedState, Equatable {
    /// The rule's name, checked when the state is decoded.
    var rule = RuleTag<Signum>()
    /// The number of updates applied so far.
    public var step: Int
    /// The moving average *m* of the gradient.
    public var average: Params.TangentVector

    /// Creates a state.
    ///
    /// - Parameters:
    ///   - step: The number of updates applied.
    ///   - average: *m*.
    /// - Complexity: O(1).
    @inlinable
    public init(step: Int, average: Params.TangentVector) {
      self.step = step
      self.average = average
    }

    /// The buffers, in the kernel's order.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {
      visitor.visit(&average, "average")
    }
  }

  /// Step 0 and a zero average.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    State(step: 0, average: params.zeroTangentVector)
  }

  /// One step, fused over the parameters, the gradient and the state's buffers.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let rate = S(learningRate), mix = S(1 - momentum), keep = S(momentum)
    walk { b in
      let (p, m) = (b.p, b[0])
      for i in b.indices {
        let gi = b.gradient(i)
        let mi = mix * gi + keep * m[i]
        m[i] = mi
        p[i] -= rate * Elementwise.sign(mi)
      }
    }
  }

  /// Declares each hyperparameter's range.
  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(momentum, "momentum")
  }
}
