import Optimisers

// The rules and options of issue 13 in the law catalogue.

enum MomentumDampenedRule: CatalogueRule {
  static let name = "Momentum(dampening:weightDecay:)"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    Momentum<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), momentum: g.double(in: 0...0.99), dampening: g.double(in: 0...1),
      weightDecay: g.double(in: 0...0.1))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    Momentum<P>(learningRate: 0.05, momentum: 0.5, dampening: 0.5)
  }
  static var zeroGradientIsFixedPoint: Bool { false }
}

enum AdamEpsilonRootRule: CatalogueRule {
  static let name = "Adam(epsilonRoot:)"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    Adam<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0...0.99), beta2: g.double(in: 0.5...0.9999),
      epsilon: g.logUniform(in: 1e-10...1e-3), epsilonRoot: g.logUniform(in: 1e-10...1e-2))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    Adam<P>(learningRate: 0.01, epsilonRoot: 1e-8)
  }
}

enum RMSPropOptaxRule: CatalogueRule {
  static let name = "RMSProp(initialScale:biasCorrection:nesterov:)"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    RMSProp<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), rho: g.double(in: 0.5...0.999), epsilon: g.logUniform(in: 1e-10...1e-3),
      momentum: g.double(in: 0...0.95), centred: g.int(in: 0...1) == 0, epsilonPlacement: .inside,
      initialScale: g.double(in: 0...1), biasCorrection: g.int(in: 0...1) == 0, nesterov: g.int(in: 0...1) == 0)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    RMSProp<P>(learningRate: 0.01, rho: 0.9, epsilonPlacement: .inside, initialScale: 0.1, biasCorrection: true)
  }
}

enum AdaGradInsideRule: CatalogueRule {
  static let name = "AdaGrad(epsilonPlacement: .inside)"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    AdaGrad<P>(
      learningRate: g.logUniform(in: 1e-4...0.5), initialAccumulatorValue: g.double(in: 0...0.5),
      epsilon: g.logUniform(in: 1e-10...1e-3), epsilonPlacement: .inside)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    AdaGrad<P>(learningRate: 0.1, initialAccumulatorValue: 0.1, epsilon: 1e-7, epsilonPlacement: .inside)
  }
}

enum OptimisticGradientDescentRule: CatalogueRule {
  static let name = "OptimisticGradientDescent"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    OptimisticGradientDescent<P>(learningRate: g.logUniform(in: 1e-4...0.1), alpha: g.double(in: 0...2), beta: g.double(in: 0...2))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    OptimisticGradientDescent<P>(learningRate: 0.05)
  }
}

enum NovoGradRule: CatalogueRule {
  static let name = "NovoGrad"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    NovoGrad<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0...0.99), beta2: g.double(in: 0...0.99),
      epsilon: g.logUniform(in: 1e-10...1e-3), epsilonRoot: g.double(in: 0...1e-6))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    NovoGrad<P>(learningRate: 0.01)
  }
}

enum ASGDRule: CatalogueRule {
  static let name = "ASGD"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    ASGD<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), lambda: g.logUniform(in: 1e-6...1e-2), alpha: g.double(in: 0...1),
      t0: Double(g.int(in: 0...5)))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    ASGD<P>(learningRate: 0.1)
  }
  static var zeroGradientIsFixedPoint: Bool { false }
}
