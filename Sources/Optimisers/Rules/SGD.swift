/// Plain stochastic gradient descent, with optional inverse learning-rate decay.
///
/// Each step moves every parameter against its gradient:
///
///     ηₜ = η / (1 + decay · t)          (t = 0 at the first update)
///     p ← p − ηₜ · (g + λp)             (λ: torch's coupled `weight_decay`, 0 by default)
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
public struct SGD<Params: Differentiable>: KernelRule, CheckpointDescribable {
  /// The learning rate η ≥ 0 (0.1), the inverse-decay coefficient ≥ 0,
  /// ηₜ = η / (1 + decay · (t − 1)) (0), and torch's coupled weight decay λ ≥ 0 (0).
  public var learningRate, decay, weightDecay: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(learningRate: Double = 0.1, decay: Double = 0, weightDecay: Double = 0) {
    (self.learningRate, self.decay, self.weightDecay) = (learningRate, decay, weightDecay)
    requireValidHyperparameters()
  }

  /// η ≥ 0, decay ≥ 0, λ ≥ 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.nonNegative(decay, "decay"); h.option(weightDecay, "weightDecay")
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
    let rate = Scalar(inverseDecay(learningRate, decay, step: t)), l2 = Scalar(weightDecay)
    walk { b in
      b.forEachGradient(weightDecay: l2) { i, g in b.p[i] -= rate * g }
    }
  }
}
