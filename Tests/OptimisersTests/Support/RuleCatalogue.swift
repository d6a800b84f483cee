import Optimisers

/// One rule in the property suite: how to build it with random, valid
/// hyperparameters for any parameter type, and which laws it promises.
///
/// Add a rule to ``RuleCatalogue/all`` and every law in `RuleLawTests` runs over it.
protocol CatalogueRule: Sendable {
  /// The rule's name, for test output.
  static var name: String { get }
  /// The rule with random hyperparameters in their valid ranges.
  static func make<P: Differentiable>(for: P.Type, using generator: inout SplitMix64) -> any Optimiser<P>
  /// The rule with a learning rate small enough to decrease a well-conditioned
  /// convex quadratic (curvatures in [0.5, 2]) within 200 steps.
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P>
  /// Whether a zero gradient applied to a fresh state leaves the parameters
  /// bitwise unchanged (false for rules that move without a gradient, such as
  /// decoupled weight decay).
  static var zeroGradientIsFixedPoint: Bool { get }
  /// Whether a leaf's update depends on the other leaves (true for transforms
  /// over a global norm); such rules skip the leaf-independence law.
  static var couplesLeaves: Bool { get }
  /// Whether the checkpoint's description equals the rule's own (false for a
  /// ``Partition``, whose checkpoint also names the leaves its selector chose).
  static var describesItselfWithoutState: Bool { get }
  /// Whether the rule reduces over the whole model every step (a
  /// ``WholeModelReduction``), which ``Sharded`` refuses.
  static var readsWholeModel: Bool { get }
}

extension CatalogueRule {
  static var zeroGradientIsFixedPoint: Bool { true }
  static var couplesLeaves: Bool { false }
  static var describesItselfWithoutState: Bool { true }
  static var readsWholeModel: Bool { false }
}

/// Every rule the property suite checks.
enum RuleCatalogue {
  static let all: [any CatalogueRule.Type] = [
    SGDRule.self,
    SGDWithDecayRule.self,
    MomentumRule.self,
    NesterovRule.self,
    AdamRule.self,
    RMSPropRule.self,
    AdaGradRule.self,
    AdaDeltaRule.self,
    AdaMaxRule.self,
    AMSGradRule.self,
    NAdamRule.self,
    AdamWRule.self,
    RAdamRule.self,
    RpropRule.self,
    AdaBeliefRule.self,
    LionRule.self,
    SignumRule.self,
    YogiRule.self,
    OAdamRule.self,
    LAMBRule.self,
    LARSRule.self,
    AdafactorRule.self,
    AdafactorWithDecayRule.self,
    MomentumDampenedRule.self,
    AdamEpsilonRootRule.self,
    RMSPropOptaxRule.self,
    AdaGradInsideRule.self,
    OptimisticGradientDescentRule.self,
    NovoGradRule.self,
    ASGDRule.self,
    ScheduleFreeAdamWRule.self,
    ScheduleFreeSGDRule.self,
    ADOPTRule.self,
    AdanRule.self,
    AdEMAMixRule.self,
    MuonRule.self,
    ProdigyRule.self,
    DAdaptAdamWRule.self,
    MARSRule.self,
    SOAPRule.self,
  ]
}

enum SGDRule: CatalogueRule {
  static let name = "SGD"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    SGD<P>(learningRate: g.logUniform(in: 1e-4...0.5))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    SGD<P>(learningRate: 0.1)
  }
}

enum SGDWithDecayRule: CatalogueRule {
  static let name = "SGD(decay:)"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    SGD<P>(learningRate: g.logUniform(in: 1e-4...0.5), decay: g.double(in: 0...0.5))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    SGD<P>(learningRate: 0.1, decay: 0.01)
  }
}

enum MomentumRule: CatalogueRule {
  static let name = "Momentum"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    Momentum<P>(learningRate: g.logUniform(in: 1e-4...0.1), momentum: g.double(in: 0...0.99), decay: g.double(in: 0...0.1))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    Momentum<P>(learningRate: 0.05, momentum: 0.5)
  }
}

enum NesterovRule: CatalogueRule {
  static let name = "Nesterov"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    Nesterov<P>(learningRate: g.logUniform(in: 1e-4...0.1), momentum: g.double(in: 0...0.99), decay: g.double(in: 0...0.1))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    Nesterov<P>(learningRate: 0.05, momentum: 0.5)
  }
}

enum AdamRule: CatalogueRule {
  static let name = "Adam"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    Adam<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0...0.99),
      beta2: g.double(in: 0.5...0.9999), epsilon: g.logUniform(in: 1e-10...1e-3), decay: g.double(in: 0...0.1))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    Adam<P>(learningRate: 0.01)
  }
}

enum RMSPropRule: CatalogueRule {
  static let name = "RMSProp"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    RMSProp<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), rho: g.double(in: 0.5...0.999), epsilon: g.logUniform(in: 1e-10...1e-3),
      momentum: g.int(in: 0...1) == 0 ? 0 : g.double(in: 0...0.95), centred: g.int(in: 0...1) == 0,
      epsilonPlacement: g.int(in: 0...1) == 0 ? .outside : .inside)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    RMSProp<P>(learningRate: 0.01, centred: true)
  }
}

enum AdaGradRule: CatalogueRule {
  static let name = "AdaGrad"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    AdaGrad<P>(
      learningRate: g.logUniform(in: 1e-4...0.5), learningRateDecay: g.double(in: 0...0.1),
      initialAccumulatorValue: g.double(in: 0...0.5), epsilon: g.logUniform(in: 1e-10...1e-3))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    AdaGrad<P>(learningRate: 0.5)
  }
}

enum AdaDeltaRule: CatalogueRule {
  static let name = "AdaDelta"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    AdaDelta<P>(learningRate: g.logUniform(in: 0.01...1), rho: g.double(in: 0.5...0.99), epsilon: g.logUniform(in: 1e-8...1e-3))
  }
  /// AdaDelta's first steps are about √ε, so a larger ε makes 200 steps enough.
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    AdaDelta<P>(learningRate: 1, rho: 0.9, epsilon: 1e-2)
  }
}

enum AdaMaxRule: CatalogueRule {
  static let name = "AdaMax"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    AdaMax<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0...0.99), beta2: g.double(in: 0.5...0.9999),
      epsilon: g.logUniform(in: 1e-10...1e-3), epsilonPlacement: g.int(in: 0...1) == 0 ? .insideMax : .outside)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    AdaMax<P>(learningRate: 0.02)
  }
}

enum AMSGradRule: CatalogueRule {
  static let name = "AMSGrad"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    AMSGrad<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0...0.99), beta2: g.double(in: 0.5...0.9999),
      epsilon: g.logUniform(in: 1e-10...1e-3), variant: g.int(in: 0...1) == 0 ? .pytorch : .optax)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    AMSGrad<P>(learningRate: 0.02)
  }
}

enum NAdamRule: CatalogueRule {
  static let name = "NAdam"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    NAdam<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0...0.99), beta2: g.double(in: 0.5...0.9999),
      epsilon: g.logUniform(in: 1e-10...1e-3), momentumDecay: g.double(in: 0...0.01),
      variant: g.int(in: 0...1) == 0 ? .pytorch : .optax)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    NAdam<P>(learningRate: 0.02)
  }
}

enum AdamWRule: CatalogueRule {
  static let name = "AdamW"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    AdamW<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0...0.99), beta2: g.double(in: 0.5...0.9999),
      epsilon: g.logUniform(in: 1e-10...1e-3), weightDecay: g.logUniform(in: 1e-4...0.1))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    AdamW<P>(learningRate: 0.02, weightDecay: 0.01)
  }
  /// Decoupled weight decay shrinks the parameters without a gradient.
  static var zeroGradientIsFixedPoint: Bool { false }
}

enum RAdamRule: CatalogueRule {
  static let name = "RAdam"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    RAdam<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0...0.99), beta2: g.double(in: 0.9...0.9999),
      epsilon: g.logUniform(in: 1e-10...1e-3), threshold: g.double(in: 4...6),
      variant: g.int(in: 0...1) == 0 ? .pytorch : .optax)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    RAdam<P>(learningRate: 0.02)
  }
}

enum RpropRule: CatalogueRule {
  static let name = "Rprop"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    let minimum = g.logUniform(in: 1e-8...1e-4)
    return Rprop<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), etaMinus: g.double(in: 0.1...0.9), etaPlus: g.double(in: 1.05...2),
      minimumStep: minimum, maximumStep: minimum + g.logUniform(in: 0.01...50))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    Rprop<P>()
  }
}

enum AdaBeliefRule: CatalogueRule {
  static let name = "AdaBelief"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    AdaBelief<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0...0.99), beta2: g.double(in: 0.5...0.9999),
      epsilon: g.logUniform(in: 1e-16...1e-3), epsilonRoot: g.logUniform(in: 1e-16...1e-6))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    AdaBelief<P>(learningRate: 0.02)
  }
}

enum LionRule: CatalogueRule {
  static let name = "Lion"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    Lion<P>(
      learningRate: g.logUniform(in: 1e-5...0.01), beta1: g.double(in: 0...1), beta2: g.double(in: 0.5...0.999),
      weightDecay: g.logUniform(in: 1e-4...0.1))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    Lion<P>(learningRate: 0.01)
  }
  /// Decoupled weight decay (λ > 0 here) shrinks the parameters without a gradient.
  static var zeroGradientIsFixedPoint: Bool { false }
}

enum SignumRule: CatalogueRule {
  static let name = "Signum"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    Signum<P>(learningRate: g.logUniform(in: 1e-4...0.1), momentum: g.double(in: 0...0.99))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    Signum<P>(learningRate: 0.01)
  }
}

enum YogiRule: CatalogueRule {
  static let name = "Yogi"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    Yogi<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0...0.99), beta2: g.double(in: 0.5...0.9999),
      epsilon: g.logUniform(in: 1e-6...1e-2), initialAccumulator: g.logUniform(in: 1e-8...1e-2))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    Yogi<P>(learningRate: 0.05)
  }
  /// Both moments start at the initial accumulator (as in optax), so the first
  /// moment is non-zero before any gradient arrives.
  static var zeroGradientIsFixedPoint: Bool { false }
}

enum OAdamRule: CatalogueRule {
  static let name = "OAdam"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    OAdam<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), optimism: g.int(in: 0...1) == 0 ? nil : g.logUniform(in: 1e-4...0.1),
      beta1: g.double(in: 0...0.99), beta2: g.double(in: 0.5...0.9999), epsilon: g.logUniform(in: 1e-10...1e-3),
      nesterov: g.int(in: 0...1) == 0)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    OAdam<P>(learningRate: 0.01)
  }
}

enum LAMBRule: CatalogueRule {
  static let name = "LAMB"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    LAMB<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0...0.99), beta2: g.double(in: 0.5...0.9999),
      epsilon: g.logUniform(in: 1e-8...1e-3), weightDecay: g.logUniform(in: 1e-4...0.1))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    LAMB<P>(learningRate: 0.02)
  }
  /// The weight decay (λ > 0 here) enters the direction even when the gradient is zero.
  static var zeroGradientIsFixedPoint: Bool { false }
}

enum LARSRule: CatalogueRule {
  static let name = "LARS"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    LARS<P>(
      learningRate: g.logUniform(in: 0.01...10), weightDecay: g.logUniform(in: 1e-4...0.1),
      trustCoefficient: g.logUniform(in: 1e-4...0.01), epsilon: g.int(in: 0...1) == 0 ? 0 : g.logUniform(in: 1e-9...1e-3),
      momentum: g.double(in: 0...0.95), nesterov: g.int(in: 0...1) == 0)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    LARS<P>(learningRate: 1, trustCoefficient: 0.01, momentum: 0.5)
  }
  /// The weight decay (λ > 0 here) enters the direction even when the gradient is zero.
  static var zeroGradientIsFixedPoint: Bool { false }
}

/// Random Adafactor settings of either variant; shared by the two entries below.
func randomAdafactor<P: Differentiable>(
  _: P.Type, weightDecay: Double, using g: inout SplitMix64
) -> Adafactor<P> {
  let optax = g.int(in: 0...1) == 0
  return Adafactor<P>(
    learningRate: g.int(in: 0...3) == 0 ? nil : g.logUniform(in: 1e-4...0.1), decayRate: g.double(in: 0.5...1),
    decayOffset: optax ? g.int(in: 0...2) : 0, epsilon1: g.int(in: 0...1) == 0 ? nil : g.logUniform(in: 1e-15...1e-3),
    epsilon2: g.logUniform(in: 1e-5...1e-2), clippingThreshold: g.int(in: 0...3) == 0 ? nil : g.double(in: 0.5...2),
    multiplyByParameterScale: g.int(in: 0...3) != 0,
    momentum: optax && g.int(in: 0...1) == 0 ? g.double(in: 0...0.95) : nil, weightDecay: weightDecay,
    factored: g.int(in: 0...3) != 0, minimumSizeToFactor: g.int(in: 1...3), variant: optax ? .optax : .pytorch)
}

enum AdafactorRule: CatalogueRule {
  static let name = "Adafactor"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    randomAdafactor(P.self, weightDecay: 0, using: &g)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    Adafactor<P>(learningRate: 0.05)
  }
}

enum AdafactorWithDecayRule: CatalogueRule {
  static let name = "Adafactor(weightDecay:)"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    let decay = g.logUniform(in: 1e-4...0.1)
    return randomAdafactor(P.self, weightDecay: decay, using: &g)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    Adafactor<P>(learningRate: 0.05, weightDecay: 0.01)
  }
  /// The weight decay shrinks the parameters without a gradient.
  static var zeroGradientIsFixedPoint: Bool { false }
}
