import Optimisers

// The rules of issue 14 in the property suite (listed in ``RuleCatalogue/all``).

enum ScheduleFreeAdamWRule: CatalogueRule {
  static let name = "ScheduleFreeAdamW"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    ScheduleFreeAdamW<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0.05...0.99), beta2: g.double(in: 0.5...0.9999),
      epsilon: g.logUniform(in: 1e-10...1e-3), weightDecay: g.int(in: 0...1) == 0 ? 0 : g.logUniform(in: 1e-4...0.1),
      warmupSteps: g.int(in: 0...4), stepPower: g.double(in: 0...1), weightLearningRatePower: g.double(in: 0...3),
      variant: g.int(in: 0...1) == 0 ? .schedulefree : .optax)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    ScheduleFreeAdamW<P>(learningRate: 0.05)
  }
  /// Weight decay, when drawn, moves y without a gradient.
  static var zeroGradientIsFixedPoint: Bool { false }
}

enum ScheduleFreeSGDRule: CatalogueRule {
  static let name = "ScheduleFreeSGD"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    ScheduleFreeSGD<P>(
      learningRate: g.logUniform(in: 1e-4...0.5), momentum: g.double(in: 0.05...0.99),
      weightDecay: g.int(in: 0...1) == 0 ? 0 : g.logUniform(in: 1e-4...0.1), warmupSteps: g.int(in: 0...4),
      stepPower: g.double(in: 0...1), weightLearningRatePower: g.double(in: 0...3),
      variant: g.int(in: 0...1) == 0 ? .schedulefree : .optax)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    ScheduleFreeSGD<P>(learningRate: 0.1)
  }
  /// Weight decay, when drawn, moves y without a gradient.
  static var zeroGradientIsFixedPoint: Bool { false }
}

enum ADOPTRule: CatalogueRule {
  static let name = "ADOPT"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    ADOPT<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0...1), beta2: g.double(in: 0.5...0.9999),
      epsilon: g.logUniform(in: 1e-8...1e-3), clipExponent: g.int(in: 0...2) == 0 ? nil : g.double(in: 0.1...0.5),
      nesterov: g.int(in: 0...1) == 0, variant: g.int(in: 0...1) == 0 ? .optax : .pytorchOptimizer)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    ADOPT<P>(learningRate: 0.02, beta2: 0.99)
  }
}

enum AdanRule: CatalogueRule {
  static let name = "Adan"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    Adan<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0.5...0.99), beta2: g.double(in: 0.5...0.99),
      beta3: g.double(in: 0.5...0.999), epsilon: g.logUniform(in: 1e-10...1e-3),
      epsilonRoot: g.int(in: 0...1) == 0 ? 0 : g.logUniform(in: 1e-10...1e-6),
      weightDecay: g.int(in: 0...1) == 0 ? 0 : g.logUniform(in: 1e-4...0.1))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    Adan<P>(learningRate: 0.02)
  }
  /// Weight decay, when drawn, shrinks the parameters without a gradient.
  static var zeroGradientIsFixedPoint: Bool { false }
}

enum AdEMAMixRule: CatalogueRule {
  static let name = "AdEMAMix"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    AdEMAMix<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0.5...0.95), beta2: g.double(in: 0.5...0.9999),
      beta3: g.double(in: 0.96...0.9999), alpha: g.double(in: 0...8), epsilon: g.logUniform(in: 1e-10...1e-3),
      weightDecay: g.int(in: 0...1) == 0 ? 0 : g.logUniform(in: 1e-4...0.1),
      warmupSteps: g.int(in: 0...1) == 0 ? nil : g.double(in: 1...50))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    AdEMAMix<P>(learningRate: 0.01, alpha: 1, warmupSteps: 50)
  }
  /// Weight decay, when drawn, shrinks the parameters without a gradient.
  static var zeroGradientIsFixedPoint: Bool { false }
}

enum ProdigyRule: CatalogueRule {
  static let name = "Prodigy"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    let decay = g.int(in: 0...1) == 0 ? 0 : g.logUniform(in: 1e-4...0.1)
    let beta1 = g.double(in: 0...0.95), beta2 = g.double(in: 0.9...0.9999)
    let beta3 = g.int(in: 0...1) == 0 ? nil : g.double(in: 0.5...0.999), epsilon = g.logUniform(in: 1e-10...1e-6)
    let start = g.logUniform(in: 1e-7...1e-3), coefficient = g.double(in: 0.5...2), safeguard = g.int(in: 0...1) == 0
    if g.int(in: 0...1) == 0 {
      return Prodigy<P>.optax(
        learningRate: g.double(in: 0.1...1), beta1: beta1, beta2: beta2, beta3: beta3, epsilon: epsilon,
        initialEstimate: start, estimateCoefficient: coefficient, weightDecay: decay, safeguardWarmup: safeguard)
    }
    return Prodigy<P>(
      learningRate: g.double(in: 0.1...1), beta1: beta1, beta2: beta2, beta3: beta3, epsilon: epsilon,
      weightDecay: decay, decoupledWeightDecay: g.int(in: 0...1) == 0, biasCorrection: g.int(in: 0...1) == 0,
      safeguardWarmup: safeguard, initialEstimate: start, estimateCoefficient: coefficient,
      growthRate: g.int(in: 0...1) == 0 ? nil : g.double(in: 1...2),
      statisticsStride: g.int(in: 0...1) == 0 ? 1 : g.int(in: 2...5))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    Prodigy<P>(learningRate: 0.5)
  }
  /// Weight decay, when drawn, shrinks the parameters without a gradient.
  static var zeroGradientIsFixedPoint: Bool { false }
  static var couplesLeaves: Bool { true }
  static var readsWholeModel: Bool { true }
}

enum DAdaptAdamWRule: CatalogueRule {
  static let name = "DAdaptAdamW"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    DAdaptAdamW<P>(
      learningRate: g.double(in: 0.1...1), beta1: g.double(in: 0...0.95), beta2: g.double(in: 0.9...0.9999),
      epsilon: g.logUniform(in: 1e-10...1e-6), initialEstimate: g.logUniform(in: 1e-7...1e-3),
      weightDecay: g.int(in: 0...1) == 0 ? 0 : g.logUniform(in: 1e-4...0.1))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    DAdaptAdamW<P>(learningRate: 0.5)
  }
  /// Weight decay, when drawn, shrinks the parameters without a gradient.
  static var zeroGradientIsFixedPoint: Bool { false }
  static var couplesLeaves: Bool { true }
  static var readsWholeModel: Bool { true }
}
