import Optimisers

extension SemanticLaws {
  /// Powers of two from 2⁻¹⁰ to 2¹⁰: scalings that are exact in binary
  /// floating point, so a scale-invariant rule gives bitwise the same steps.
  public static let powerOfTwoScales = Generator<Int>.int(in: -10...10).map { k in
    k >= 0 ? Double(1 << k) : 1 / Double(1 << -k)
  }

  /// Invariance to positive gradient scaling: running on c·g gives the steps of
  /// running on g. Holds for the Adam family (m̂/√v̂ is homogeneous of degree 0)
  /// as ε → 0 — pass the smallest ε the rule accepts (`Float.leastNormalMagnitude`
  /// for `Float`, 1e-300 for `Double`) so that ε is below half an ulp of √v̂ —
  /// and for sign-based rules (Signum, Lion, Rprop), AdaGrad, RMSProp, LARS
  /// without weight decay. With the default power-of-two scales every operation
  /// scales exactly, so the tolerance is ``Tolerance/exact``; with other scales
  /// pass ``Tolerance/rounding(_:)``.
  ///
  /// RAdam is not invariant: while the variance is not tractable (ρₜ ≤ 5) it
  /// takes un-normalised momentum steps. AdaDelta is not: its step is
  /// √(E[Δ²] + ε) / √(E[g²] + ε) · g, with ε in the numerator's first steps.
  ///
  /// - Parameters:
  ///   - rule: The rule, with ε as small as it accepts.
  ///   - parameters: The leaf layout.
  ///   - scales: Positive scales; default ``powerOfTwoScales``.
  ///   - tolerance: Default ``Tolerance/exact``.
  ///   - configuration: Default ``defaultConfiguration``.
  /// - Complexity: See ``SemanticLaws``.
  public static func scaleInvariance<O: Optimiser>(
    _ rule: O, parameters: ParameterGenerator<O.Params>, scales: Generator<Double> = powerOfTwoScales,
    tolerance: Tolerance = .exact, configuration: PropertyConfiguration = defaultConfiguration
  ) -> PropertyReport<(OptimiserCase<O.Params>, Double)> {
    Property.forAll(
      .zip(.optimiserCase(parameters: parameters, steps: 1...6), scales), name: "\(O.self) scale invariance",
      configuration: configuration
    ) { sample, scale in
      let scaled = sample.gradients.map { $0.mapScalars { g, _ in g * .init(scale) } }
      let plain = Trajectory(rule, from: sample.parameters, sample.gradients)
      let other = Trajectory(rule, from: sample.parameters, scaled)
      if let problem = other.firstDisagreement(with: plain.steps, tolerance: tolerance) {
        throw PropertyFailure("gradients scaled by \(scale): \(problem)")
      }
    }
  }

  /// Invariance to positive per-coordinate scaling: running on (cᵢ gᵢ), with
  /// one positive cᵢ per coordinate held across steps, gives the steps of
  /// running on g. Sign-based rules: Signum, Lion (they see sign(β m + (1 − β) g)),
  /// Rprop (it sees the sign of gₜ gₜ₋₁). Scales are powers of two, so every
  /// moment scales exactly and the signs agree: ``Tolerance/exact``.
  ///
  /// - Parameters:
  ///   - rule: A sign-based rule.
  ///   - parameters: The leaf layout.
  ///   - configuration: Default ``defaultConfiguration``.
  /// - Complexity: See ``SemanticLaws``.
  public static func signInvariance<O: Optimiser>(
    _ rule: O, parameters: ParameterGenerator<O.Params>, configuration: PropertyConfiguration = defaultConfiguration
  ) -> PropertyReport<(OptimiserCase<O.Params>, [Double])> {
    Property.forAll(
      .zip(.optimiserCase(parameters: parameters, steps: 1...6), powerOfTwoScales.array(count: 1...5)),
      name: "\(O.self) sign invariance", configuration: configuration
    ) { sample, scales in
      let scaled = sample.gradients.map { $0.mapScalars { g, i in g * .init(scales[i % scales.count]) } }
      let plain = Trajectory(rule, from: sample.parameters, sample.gradients)
      let other = Trajectory(rule, from: sample.parameters, scaled)
      if let problem = other.firstDisagreement(with: plain.steps, tolerance: .exact) {
        throw PropertyFailure("coordinates scaled by \(scales) (cycled): \(problem)")
      }
    }
  }

  /// Oddness: running on −g moves the parameters by the negated steps of
  /// running on g. Holds for every rule whose step does not read the
  /// parameters (SGD, Momentum, Nesterov, the Adam family without weight decay,
  /// RMSProp, AdaGrad, AdaDelta, Signum, Lion, Rprop; Yogi with a zero initial
  /// accumulator, since its first moment starts at that value); not for LAMB, LARS or
  /// Adafactor, whose trust ratio or scale reads ‖p‖, which differs between
  /// the two runs after the first step. Negation is exact, but p − Δ and p + Δ
  /// round differently, so the tolerance is 2 ulps of the parameter per step.
  ///
  /// - Parameters:
  ///   - rule: A rule without parameter-dependent terms.
  ///   - parameters: The leaf layout.
  ///   - configuration: Default ``defaultConfiguration``.
  /// - Complexity: See ``SemanticLaws``.
  public static func oddness<O: Optimiser>(
    _ rule: O, parameters: ParameterGenerator<O.Params>, configuration: PropertyConfiguration = defaultConfiguration
  ) -> PropertyReport<OptimiserCase<O.Params>> {
    Property.forAll(
      .optimiserCase(parameters: parameters, steps: 1...6), name: "\(O.self) oddness", configuration: configuration
    ) { sample in
      let negated = sample.gradients.map { $0.mapScalars { g, _ in -g } }
      let plain = Trajectory(rule, from: sample.parameters, sample.gradients)
      let other = Trajectory(rule, from: sample.parameters, negated)
      let tolerance = Tolerance(ulps: 2 * Double(sample.steps))
      if let problem = other.firstDisagreement(with: plain.steps, tolerance: tolerance, expected: { -$0 }) {
        throw PropertyFailure("negated gradients: \(problem)")
      }
    }
  }

  /// Linearity in the gradient sequence: the displacement after any number of
  /// steps on α g + β h is α times that on g plus β times that on h, from the
  /// same start. SGD (with or without `decay:`), Momentum and Nesterov: their
  /// state is a linear function of past gradients. The two sides round
  /// differently, so the tolerance is ``Tolerance/rounding(_:)`` scaled by the
  /// number of steps.
  ///
  /// - Parameters:
  ///   - rule: A linear rule.
  ///   - parameters: The leaf layout.
  ///   - configuration: Default ``defaultConfiguration``.
  /// - Complexity: See ``SemanticLaws``.
  public static func linearity<O: Optimiser>(
    _ rule: O, parameters: ParameterGenerator<O.Params>, configuration: PropertyConfiguration = defaultConfiguration
  ) -> PropertyReport<(OptimiserCase<O.Params>, [O.Params.TangentVector], Double, Double)> {
    typealias S = O.Params.TangentVector.Scalar
    let cases = Generator<OptimiserCase<O.Params>>.optimiserCase(parameters: parameters, steps: 1...5).flatMap { sample in
      Generator<O.Params.TangentVector>.gradient(for: sample.parameters).array(count: sample.steps...sample.steps).map {
        (sample, $0)
      }
    }
    let coefficients = Generator<Double>.double(in: -2...2)
    return Property.forAll(
      Generator.zip(cases, coefficients, coefficients).map { ($0.0.0, $0.0.1, $0.1, $0.2) },
      name: "\(O.self) linearity", configuration: configuration
    ) { sample, others, alpha, beta in
      let start = sample.parameters.flattenedParameters
      let g = Trajectory(rule, from: sample.parameters, sample.gradients)
      let h = Trajectory(rule, from: sample.parameters, others)
      let mixed = zip(sample.gradients, others).map { S(alpha) * $0 + S(beta) * $1 }
      let both = Trajectory(rule, from: sample.parameters, mixed)
      let rounding = Tolerance.rounding(S.self)
      for step in both.steps.indices {
        for i in start.indices {
          let dg = Double(g.steps[step][i]) - Double(start[i]), dh = Double(h.steps[step][i]) - Double(start[i])
          let expected = alpha * dg + beta * dh
          let actual = Double(both.steps[step][i]) - Double(start[i])
          let scale = Swift.max(g.steps[step][i].magnitude, h.steps[step][i].magnitude, start[i].magnitude)
          let bound = Double(step + 1) * (rounding.relative * (alpha.magnitude * dg.magnitude + beta.magnitude * dh.magnitude)
            + 3 * rounding.ulps * Double(scale.ulp))
          try Property.require(
            (actual - expected).magnitude <= bound,
            "after step \(step + 1), coordinate \(i): moved \(actual), α·Δg + β·Δh = \(expected)")
        }
      }
    }
  }
}
