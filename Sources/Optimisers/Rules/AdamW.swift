/// AdamW: Adam with weight decay decoupled from the gradient.
///
/// With g′ = map(g), t the step number counted from 1, and λ the weight decay:
///
///     p ← p · (1 − η λ)
///     m ← m + (1 − β₁)(g′ − m);   v ← β₂ v + (1 − β₂) g′²
///     p ← p − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// The decay multiplies the parameters directly and never enters the moments.
/// It is scaled by the learning rate, as in both references (the paper's
/// schedule multiplier is η here). ε is outside the square root; the moments are
/// bias-corrected as in ``Adam``. This reproduces
/// `torch.optim.AdamW(params, lr=η, betas=(β₁, β₂), eps=ε, weight_decay=λ)` and
/// `optax.adamw(η, b1, b2, eps, weight_decay=λ)` (optax adds λp to the Adam
/// direction before scaling by −η: the same step). The defaults follow PyTorch
/// (λ = 0.01; optax's is 1e-4).
///
/// A zero gradient is not a fixed point: the decay still shrinks *p*.
///
/// State: the step count, *m* and *v*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Loshchilov and Hutter, *Decoupled Weight Decay Regularization*,
///   ICLR 2019.
public struct AdamW<Params: Differentiable>: KernelRule {
  /// The learning rate η; default 0.001.
  public var learningRate: Double
  /// The first-moment decay β₁ ∈ [0, 1); default 0.9.
  public var beta1: Double
  /// The second-moment decay β₂ ∈ [0, 1); default 0.999.
  public var beta2: Double
  /// The denominator's guard ε > 0, outside the square root; default 1e-8.
  public var epsilon: Double
  /// The decoupled weight decay λ ≥ 0 (multiplied by η); default 0.01.
  public var weightDecay: Double

  /// Creates the rule.
  ///
  /// - Parameters:
  ///   - learningRate: η ≥ 0; default 0.001.
  ///   - beta1: β₁ ∈ [0, 1); default 0.9.
  ///   - beta2: β₂ ∈ [0, 1); default 0.999.
  ///   - epsilon: ε > 0; default 1e-8.
  ///   - weightDecay: λ ≥ 0; default 0.01.
  /// - Precondition: Every hyperparameter is in range; otherwise the call stops
  ///   with a message naming it and its value.
  /// - Complexity: O(1).
  @inlinable
  public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    weightDecay: Double = 0.01
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    requireValidHyperparameters()
  }

  /// The step count and the two moment estimates (see ``MomentEstimates``).
  public typealias State = MomentEstimates<Params, AdamW>

  /// Step 0 and zero moments.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func initialState(for params: Params) -> State {
    State(zerosLike: params)
  }

  /// One step, fused over the parameters, the gradient and the state's buffers.
  @inlinable
  public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    typealias S = Params.TangentVector.Scalar
    let t = Double(t)
    let stepSize = S(learningRate / (1 - power(beta1, t)))
    let correction2Root = S(Double.squareRoot(of: 1 - power(beta2, t)))
    let shrink = S(1 - learningRate * weightDecay)
    let mix1 = S(1 - beta1), keep2 = S(beta2), mix2 = S(1 - beta2), eps = S(epsilon)
    walk { b in
      let (p, m, v) = (b.p, b[0], b[1])
      for i in b.indices {
        let gi = b.gradient(i)
        let mi = m[i] + mix1 * (gi - m[i])
        let vi = keep2 * v[i] + mix2 * gi * gi
        m[i] = mi
        v[i] = vi
        let decayed = p[i] * shrink
        p[i] = decayed - stepSize * (mi / (S.squareRoot(of: vi) / correction2Root + eps))
      }
    }
  }

  /// Declares each hyperparameter's range.
  @inlinable
  public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.positive(epsilon, "epsilon"); h.nonNegative(weightDecay, "weightDecay")
  }
}
