import Optimisers

/// MARS in the property suite (listed in ``RuleCatalogue/all``): any form,
/// either reference (Shampoo with pytorch-optimizer's only), with or without
/// MARS on the vector leaves.
enum MARSRule: CatalogueRule {
  static let name = "MARS"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    let form: MARS<P>.Form = [.adamW, .lion, .shampoo][g.int(in: 0...2)]
    return MARS<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0.5...0.99), beta2: g.double(in: 0.5...0.9999),
      gamma: g.double(in: 0...0.2), epsilon: g.logUniform(in: 1e-10...1e-3),
      weightDecay: g.int(in: 0...1) == 0 ? 0 : g.logUniform(in: 1e-4...0.1),
      adamWLearningRate: g.logUniform(in: 1e-4...0.1), adamWBeta1: g.double(in: 0.5...0.99),
      adamWBeta2: g.double(in: 0.5...0.9999), adamWWeightDecay: g.int(in: 0...1) == 0 ? 0 : g.logUniform(in: 1e-4...0.1),
      optimiseAllLeaves: g.int(in: 0...1) == 0, form: form,
      variant: form == .shampoo || g.int(in: 0...1) == 0 ? .pytorchOptimizer : .authors)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    MARS<P>(learningRate: 0.02, adamWLearningRate: 0.02, adamWWeightDecay: 0)
  }
  /// Weight decay, when drawn, shrinks the parameters without a gradient.
  static var zeroGradientIsFixedPoint: Bool { false }
}
