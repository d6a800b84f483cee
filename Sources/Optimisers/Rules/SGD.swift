/// Plain stochastic gradient descent, with optional inverse learning-rate decay.
///
/// Each step moves every parameter against its gradient:
///
///     ηₜ = η / (1 + decay · t)          (t = 0 at the first update)
///     p ← p − ηₜ · g
///
/// With `decay == 0` this is exactly `p - learningRate * g` per element, and
/// matches `torch.optim.SGD(params, lr)` and `optax.sgd(lr)`. The decayed rate is
/// Flux's "inverse decaying learning rate" and equals
/// `Scheduled(SGD(...), \.learningRate, by: InverseDecay(...))`.
///
/// ```swift
/// let optimiser = SGD<Affine>(learningRate: 0.1)
/// ```
///
/// State: the step count only. Memory: none per parameter.
///
/// - Complexity: O(*n*) per step, one pass.
/// - References: Robbins and Monro, *A Stochastic Approximation Method*, 1951.
public struct SGD<Params: Differentiable>: KernelRule {
  /// The learning rate η ≥ 0.
  public var learningRate: Double
  /// The inverse-decay coefficient ≥ 0: ηₜ = η / (1 + decay · (t − 1)).
  public var decay: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable
  public init(learningRate: Double = 0.1, decay: Double = 0) {
    (self.learningRate, self.decay) = (learningRate, decay)
    requireValidHyperparameters()
  }

  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.nonNegative(decay, "decay")
  }

  /// The step count only.
  public struct State: ZeroStartingState, Equatable {
    var rule = RuleTag<SGD>()
    /// The number of updates applied so far.
    public var step: Int

    /// A state after `step` updates.
    @inlinable public init(step: Int = 0) { self.step = step }
    /// Step 0.
    @inlinable public init(zerosLike params: Params) { self.init() }
    /// No buffers.
    @inlinable public mutating func forEachBuffer<Visitor: BufferVisitor>(_ visitor: inout Visitor) {}
  }

  /// p ← p − ηₜ g.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let rate = Params.TangentVector.Scalar(inverseDecay(learningRate, decay, step: t))
    walk { b in
      for i in b.indices { b.p[i] -= rate * b.gradient(i) }
    }
  }
}
