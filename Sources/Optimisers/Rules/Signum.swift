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
public struct Signum<Params: Differentiable>: KernelRule, BufferNaming {
  /// The learning rate η ≥ 0, the size of every coordinate's step (0.01), and
  /// the averaging coefficient β ∈ [0, 1) (0.9).
  public var learningRate, momentum: Double

  /// Creates the rule; stops with a message naming any hyperparameter out of range.
  @inlinable public init(learningRate: Double = 0.01, momentum: Double = 0.9) {
    (self.learningRate, self.momentum) = (learningRate, momentum)
    requireValidHyperparameters()
  }

  /// η ≥ 0, β ∈ [0, 1).
  @inlinable public func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(momentum, "momentum")
  }

  /// The buffers: the moving average *m* of the gradient.
  public static var bufferNames: [StaticString] { ["average"] }
  /// The step count and the buffers above (``NamedBufferState``).
  public typealias State = NamedBufferState<Params, Signum>

  /// m ← (1 − β)g′ + βm; p ← p − η sign(m), fused over p, g and m.
  @inlinable public func step<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let rate = Scalar(learningRate), mix = Scalar(1 - momentum), keep = Scalar(momentum)
    walk { b in
      let m = b[0]
      for i in b.indices {
        let mi = mix * b.gradient(i) + keep * m[i]
        m[i] = mi
        b.p[i] -= rate * Elementwise.sign(mi)
      }
    }
  }
}

/// Signum's buffers by the names of its first release.
extension NamedBufferState where Rule == Signum<Params> {
  public init(step: Int, average: Params.TangentVector) { self.init(step: step, checked: [average]) }
  public var average: Params.TangentVector { get { self[0] } set { self[0] = newValue } }
}
