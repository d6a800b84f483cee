import Optimisers

/// Muon on the matrix leaves and AdamW on the rest, as users combine them
/// (`Partition(Muon(), for: .matrices, otherwise: AdamW())`), with random
/// settings of either variant.
enum MuonRule: CatalogueRule {
  static let name = "Muon"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    let muon = Muon<LeafGroup<P>>(
      learningRate: g.logUniform(in: 1e-4...0.1), momentum: g.double(in: 0...0.99), nesterov: g.int(in: 0...1) == 0,
      weightDecay: g.int(in: 0...1) == 0 ? 0 : g.logUniform(in: 1e-4...0.2),
      epsilon: g.int(in: 0...1) == 0 ? nil : g.logUniform(in: 1e-9...1e-5), steps: g.int(in: 1...6),
      adjustment: g.int(in: 0...1) == 0 ? .original : .matchRMSAdamW, targetRMS: g.double(in: 0.1...0.5),
      variant: g.int(in: 0...1) == 0 ? .pytorch : .optax)
    let adamW = AdamW<LeafGroup<P>>(learningRate: g.logUniform(in: 1e-4...0.1), weightDecay: g.logUniform(in: 1e-4...0.1))
    return Partition<P, _, _>(muon, for: .matrices, otherwise: adamW)
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    Partition<P, _, _>(
      Muon<LeafGroup<P>>(learningRate: 0.02, weightDecay: 0), for: .matrices,
      otherwise: AdamW<LeafGroup<P>>(learningRate: 0.02, weightDecay: 0))
  }
  /// The weight decay (λ > 0 in some draws) moves the parameters without a gradient.
  static var zeroGradientIsFixedPoint: Bool { false }
  /// A partition's checkpoint names the leaves its selector chose; `MuonTests`
  /// checks a lone Muon's description.
  static var describesItselfWithoutState: Bool { false }
}

/// SOAP with random settings; short refresh periods so that the law runs
/// (a few steps each) reach the power iteration and QR.
enum SOAPRule: CatalogueRule {
  static let name = "SOAP"
  static func make<P: Differentiable>(for: P.Type, using g: inout SplitMix64) -> any Optimiser<P> {
    SOAP<P>(
      learningRate: g.logUniform(in: 1e-4...0.1), beta1: g.double(in: 0...0.99), beta2: g.double(in: 0.5...0.999),
      shampooBeta: g.int(in: 0...1) == 0 ? nil : g.double(in: 0.5...0.99),
      weightDecay: g.int(in: 0...1) == 0 ? 0 : g.logUniform(in: 1e-4...0.1), preconditionFrequency: g.int(in: 1...3),
      maximumPreconditionDimension: g.int(in: 0...2) == 0 ? 2 : 10000, preconditionVectors: g.int(in: 0...1) == 0,
      biasCorrection: g.int(in: 0...2) != 0, normaliseUpdate: g.int(in: 0...2) == 0,
      epsilon: g.logUniform(in: 1e-8...1e-4))
  }
  static func makeForConvexDescent<P: Differentiable>(for: P.Type) -> any Optimiser<P> {
    SOAP<P>(learningRate: 0.02, weightDecay: 0, preconditionFrequency: 5)
  }
  /// The weight decay (λ > 0 in some draws) moves the parameters without a gradient.
  static var zeroGradientIsFixedPoint: Bool { false }
}
