/// AdamW: Adam with weight decay decoupled from the gradient.
///
/// With g′ = map(g), t the step number counted from 1, and λ the weight decay:
///
///     p ← p · (1 − η λ)
///     m ← m + (1 − β₁)(g′ − m);   v ← β₂ v + (1 − β₂) g′²
///     p ← p − (η / (1 − β₁ᵗ)) · (m / (√(v / (1 − β₂ᵗ) + ε_root) + ε))
///
/// The decay multiplies the parameters directly and never enters the moments.
/// It is scaled by the learning rate, as in both references (the paper's
/// schedule multiplier is η here). ε is outside the square root; the moments are
/// bias-corrected as in ``Adam``. This reproduces
/// `torch.optim.AdamW(params, lr=η, betas=(β₁, β₂), eps=ε, weight_decay=λ)` and
/// `optax.adamw(η, b1, b2, eps, weight_decay=λ)` (optax adds λp to the Adam
/// direction before scaling by −η: the same step). The defaults follow PyTorch
/// (λ = 0.01; optax's is 1e-4): ``torch(learningRate:)`` and
/// ``optax(learningRate:)`` spell each reference's defaults.
///
/// AdamW *is* `Adam(η, β₁, β₂, ε, weightDecay: λ, decoupledWeightDecay: true)`
/// (its step runs ``adam``'s) and `DecoupledWeightDecay(λ, Adam(η, β₁, β₂, ε),
/// learningRate: \.learningRate)`: the shrink p · (1 − ηλ) is fused into Adam's
/// pass and gives the same bits as the wrapper's two passes.
///
/// A zero gradient is not a fixed point: the decay still shrinks *p*.
///
/// State: the step count, *m* and *v*. Memory: two buffers per parameter.
///
/// - Complexity: O(*n*) per step, one fused pass.
/// - References: Loshchilov and Hutter, *Decoupled Weight Decay Regularization*,
///   ICLR 2019.
public struct AdamW<Params: Differentiable>: KernelRule, CheckpointDescribable {
  /// The learning rate η ≥ 0 (0.001), the moment decays β₁, β₂ ∈ [0, 1) (0.9 and
  /// 0.999), the guard ε ≥ 0 (> 0 when ε_root = 0) outside the square root (1e-8), the decoupled
  /// weight decay λ ≥ 0, multiplied by η (0.01, PyTorch's), and optax's guard
  /// ε_root ≥ 0 inside the square root (0).
  public var learningRate, beta1, beta2, epsilon, weightDecay, epsilonRoot: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(
    learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    weightDecay: Double = 0.01, epsilonRoot: Double = 0
  ) {
    (self.learningRate, self.beta1, self.beta2, self.epsilon) = (learningRate, beta1, beta2, epsilon)
    (self.weightDecay, self.epsilonRoot) = (weightDecay, epsilonRoot)
    requireValidHyperparameters()
  }

  /// `torch.optim.AdamW(params, lr=η)`'s defaults: λ = 0.01, ε = 1e-8.
  @inlinable public static func torch(learningRate: Double = 0.001) -> AdamW { AdamW(learningRate: learningRate) }

  /// `optax.adamw(η)`'s defaults: λ = 1e-4, ε = 1e-8, ε_root = 0.
  @inlinable public static func optax(learningRate: Double) -> AdamW {
    AdamW(learningRate: learningRate, weightDecay: 1e-4)
  }

  /// η ≥ 0, β₁, β₂ ∈ [0, 1), λ ≥ 0, ε, ε_root ≥ 0 not both 0.
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(beta1, "beta1"); h.unitInterval(beta2, "beta2")
    h.nonNegative(weightDecay, "weightDecay"); h.denominatorGuards(epsilon: epsilon, epsilonRoot: epsilonRoot, rootIsAddedOption: true)
  }

  /// The step count and the moments *m* and *v* (see ``MomentEstimates``).
  public typealias State = MomentEstimates<Params, AdamW>

  /// AdamW as the ``Adam`` it is: the same η, β₁, β₂, ε, ε_root and λ, with
  /// `decoupledWeightDecay` (torch's `Adam(decoupled_weight_decay=True)`).
  @inlinable public var adam: Adam<Params> {
    Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, epsilonRoot: epsilonRoot,
      weightDecay: weightDecay, decoupledWeightDecay: true)
  }

  /// p ← p · (1 − ηλ), then Adam's step, in one pass.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) { adam.step(t, walk) }
}
