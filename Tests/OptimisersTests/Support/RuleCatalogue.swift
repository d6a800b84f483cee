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
}

extension CatalogueRule {
  static var zeroGradientIsFixedPoint: Bool { true }
}

/// Every rule the property suite checks.
enum RuleCatalogue {
  static let all: [any CatalogueRule.Type] = [
    SGDRule.self,
    SGDWithDecayRule.self,
    MomentumRule.self,
    NesterovRule.self,
    AdamRule.self,
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
