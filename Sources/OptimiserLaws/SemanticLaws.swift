import Optimisers

/// The laws that tell rule families apart, as properties over generated cases:
/// each returns a ``PropertyReport`` with a shrunk counterexample when the law
/// fails. Each law says which rules it applies to, its tolerance and why.
///
/// ```swift
/// let report = SemanticLaws.scaleInvariance(
///   Adam<Tensor<Double>>(epsilon: 1e-300), parameters: .tensor(shape: [3, 2]))
/// precondition(report.passed, "\(report)")
/// ```
///
/// The laws use only the public API of the rules (`initialState`, `update`,
/// the wrappers' initialisers), so they hold for your rules too.
///
/// - Complexity: O(trials × steps × *n*) per law, plus shrinking.
/// - References: Kingma and Ba, *Adam*, 2015 (scale invariance of the update);
///   Bernstein et al., *signSGD*, 2018; Chen et al., *Lion*, 2023; Riedmiller
///   and Braun, *Rprop*, 1993 (sign-based rules).
public enum SemanticLaws: Sendable {
  /// The default configuration of the laws: 40 trials.
  public static let defaultConfiguration = PropertyConfiguration(trials: 40)

  /// Two optimisers are the same rule: from the same start, on the same
  /// gradients, the parameters agree after every step within `tolerance`.
  ///
  /// For `AdamW(weightDecay: 0)` and `Adam`, a one-group `Partition` and its
  /// rule, `Chain(rule)` and `rule`, `Chain(a, Chain(b, rule))` and
  /// `Chain(Chain(a, b), rule)`, `SGD(decay:)` and `Scheduled(SGD(), …, by:
  /// InverseDecay(…))`: all the same arithmetic, so ``Tolerance/exact``.
  ///
  /// - Parameters:
  ///   - a: One optimiser.
  ///   - b: The other, on the same parameters.
  ///   - parameters: The leaf layout of the generated cases.
  ///   - tolerance: Default ``Tolerance/exact``.
  ///   - steps: Steps per case; default `1...6`.
  ///   - configuration: Default ``defaultConfiguration``.
  /// - Complexity: See ``SemanticLaws``.
  public static func equivalence<A: Optimiser, B: Optimiser>(
    _ a: A, _ b: B, parameters: ParameterGenerator<A.Params>, tolerance: Tolerance = .exact,
    steps: ClosedRange<Int> = 1...6, configuration: PropertyConfiguration = defaultConfiguration
  ) -> PropertyReport<OptimiserCase<A.Params>> where A.Params == B.Params {
    Property.forAll(
      .optimiserCase(parameters: parameters, steps: steps), name: "\(A.self) ≡ \(B.self)",
      configuration: configuration
    ) { sample in
      let runA = Trajectory(a, from: sample.parameters, sample.gradients)
      let runB = Trajectory(b, from: sample.parameters, sample.gradients)
      if let problem = runA.firstDisagreement(with: runB.steps, tolerance: tolerance) { throw PropertyFailure(problem) }
    }
  }

  /// Descent on convex quadratics: on f(p) = ½ Σ aᵢ pᵢ² with curvatures
  /// aᵢ ∈ [½, 2], `steps` updates on the true gradient lower f, for a rule
  /// whose learning rate is small enough (the caller picks it). Exact
  /// comparison (f after < f before, unless f before is 0), no tolerance:
  /// a sufficiently small step is a strict decrease.
  ///
  /// - Parameters:
  ///   - rule: The rule, with a small learning rate.
  ///   - parameters: The leaf layout.
  ///   - steps: Updates per case; default 200.
  ///   - configuration: Default 20 trials.
  /// - Complexity: O(trials × `steps` × *n*).
  public static func convexDescent<O: Optimiser>(
    _ rule: O, parameters: ParameterGenerator<O.Params>, steps: Int = 200,
    configuration: PropertyConfiguration = PropertyConfiguration(trials: 20)
  ) -> PropertyReport<(OptimiserCase<O.Params>, [Double])> {
    let curvatures = Generator<Double>.double(in: 0.5...2).array(count: 1...4)
    return Property.forAll(
      .zip(.optimiserCase(parameters: parameters, steps: 0...0), curvatures), name: "\(O.self) descends",
      configuration: configuration
    ) { sample, curvature in
      var params = sample.parameters
      var state = rule.initialState(for: params)
      func loss(_ p: O.Params) -> Double {
        p.flattenedParameters.enumerated().reduce(0) { $0 + 0.5 * curvature[$1.offset % curvature.count] * Double($1.element) * Double($1.element) }
      }
      let before = loss(params)
      for _ in 0..<steps {
        let flat = params.flattenedParameters
        let gradient = params.zeroTangentVector.mapScalars { _, i in .init(curvature[i % curvature.count]) * flat[i] }
        rule.update(&state, &params, gradient)
      }
      let after = loss(params)
      try Property.require(
        before == 0 ? after == 0 : after < before, "f went from \(before) to \(after) in \(steps) steps")
    }
  }
}
