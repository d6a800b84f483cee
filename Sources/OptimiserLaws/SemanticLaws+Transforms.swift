import Optimisers

extension SemanticLaws {
  /// `Accumulate(every: k, rule)` fed k micro-batch gradients takes the step
  /// `rule` takes on their mean, and nothing in between. The wrapper keeps a
  /// running mean (a += (g − a)/i) where the reference sums and divides, so the
  /// means differ by rounding, and a rule that normalises (Adam's m/√v over
  /// means that nearly cancel) magnifies it: the tolerance is 2048 machine
  /// epsilons relative to the displacement plus 8 ulps of the parameter, for
  /// rules whose step is continuous in the gradient (SGD, Momentum, Adam; not
  /// sign-based rules, where a rounding of a mean near 0 flips the sign).
  ///
  /// - Parameters:
  ///   - every: k ≥ 1.
  ///   - rule: The inner rule.
  ///   - parameters: The leaf layout.
  ///   - configuration: Default ``defaultConfiguration``.
  /// - Complexity: See ``SemanticLaws``.
  public static func accumulation<O: Optimiser>(
    every: Int, _ rule: O, parameters: ParameterGenerator<O.Params>,
    configuration: PropertyConfiguration = defaultConfiguration
  ) -> PropertyReport<OptimiserCase<O.Params>> {
    typealias S = O.Params.TangentVector.Scalar
    let wrapped = Accumulate(every: every, rule)
    return Property.forAll(
      .optimiserCase(parameters: parameters, steps: every...(3 * every)), name: "Accumulate(every: \(every)) ≡ mean step",
      configuration: configuration
    ) { sample in
      let micro = Trajectory(wrapped, from: sample.parameters, sample.gradients)
      var means: [O.Params.TangentVector] = []
      for start in stride(from: 0, to: sample.steps - every + 1, by: every) {
        let group = sample.gradients[start..<(start + every)].map { $0.flattenedScalars }
        means.append(sample.parameters.zeroTangentVector.mapScalars { _, i in
          S(group.reduce(0.0) { $0 + Double($1[i]) } / Double(every))
        })
      }
      let reference = Trajectory(rule, from: sample.parameters, means)
      // The wrapper's parameters after each completed group; bitwise unchanged
      // in between.
      var previous = micro.start
      for (index, params) in micro.steps.enumerated() {
        let completed = (index + 1) / every
        let expected = completed == 0 ? reference.start : reference.steps[completed - 1]
        let tolerance = Tolerance(relative: 2048 * Double(S.ulpOfOne), ulps: 8)
        for i in params.indices where !tolerance.accepts(params[i], expected[i], from: reference.start[i]) {
          throw PropertyFailure(
            "after micro-step \(index + 1), coordinate \(i): \(params[i]), one step per mean gives \(expected[i])")
        }
        if (index + 1) % every != 0, let i = params.indices.first(where: { params[$0].bitPattern != previous[$0].bitPattern }) {
          throw PropertyFailure("micro-step \(index + 1) moved coordinate \(i) before its group was complete")
        }
        previous = params
      }
    }
  }

  /// `SkipNonFinite(rule)` leaves the parameters and the inner rule's state
  /// bitwise unchanged on a step whose gradient holds a NaN or ∞, and
  /// continues as if that step had not happened: ``Tolerance/exact``.
  ///
  /// - Parameters:
  ///   - rule: The inner rule.
  ///   - parameters: The leaf layout (at least one scalar).
  ///   - configuration: Default ``defaultConfiguration``.
  /// - Complexity: See ``SemanticLaws``.
  public static func skippedStepsChangeNothing<O: Optimiser>(
    _ rule: O, parameters: ParameterGenerator<O.Params>, configuration: PropertyConfiguration = defaultConfiguration
  ) -> PropertyReport<(OptimiserCase<O.Params>, [Int])> {
    typealias S = O.Params.TangentVector.Scalar
    let wrapped = SkipNonFinite(rule, maxConsecutive: 100)
    let poison = Generator<Int>.int(in: 0...1000).array(count: 1...3)
    return Property.forAll(
      .zip(.optimiserCase(parameters: parameters, steps: 1...5), poison), name: "SkipNonFinite skips exactly",
      configuration: configuration
    ) { sample, positions in
      guard sample.scalarCount > 0 else { return }
      // The clean run, and the run with a poisoned gradient before step k.
      let clean = Trajectory(rule, from: sample.parameters, sample.gradients)
      var params = sample.parameters
      var state = wrapped.initialState(for: params)
      for (step, gradient) in sample.gradients.enumerated() {
        if let position = positions.first(where: { $0 % (sample.steps + 1) == step }) {
          let bad = gradient.mapScalars { g, i in i == position % sample.scalarCount ? (position % 2 == 0 ? .nan : .infinity) : g }
          let before = params.flattenedParameters
          let baseBefore = try StateTree(encoding: state.base)
          wrapped.update(&state, &params, bad)
          try Property.require(
            zip(before, params.flattenedParameters).allSatisfy { $0.bitPattern == $1.bitPattern },
            "a skipped step before step \(step + 1) moved the parameters")
          try Property.require(
            try StateTree(encoding: state.base) == baseBefore, "a skipped step before step \(step + 1) changed the state")
        }
        wrapped.update(&state, &params, gradient)
        try Property.require(
          zip(clean.steps[step], params.flattenedParameters).allSatisfy { $0.bitPattern == $1.bitPattern },
          "after step \(step + 1) the run with skipped steps differs from the clean run")
      }
    }
  }

  /// A masked transform leaves the leaves it does not select alone:
  /// `Chain(transform.masked(selector), rule)` moves every unselected leaf
  /// bitwise as `rule` alone does (``Tolerance/exact``: the gate passes those
  /// gradients through untouched).
  ///
  /// - Parameters:
  ///   - transform: Any gradient transform.
  ///   - selector: The leaves it applies to.
  ///   - rule: The rule after it.
  ///   - parameters: The leaf layout.
  ///   - configuration: Default ``defaultConfiguration``.
  /// - Complexity: See ``SemanticLaws``.
  public static func maskedLeavesUntouched<T: GradientTransform, O: Optimiser>(
    _ transform: T, selecting selector: LeafSelector, _ rule: O, parameters: ParameterGenerator<O.Params>,
    configuration: PropertyConfiguration = defaultConfiguration
  ) -> PropertyReport<OptimiserCase<O.Params>> {
    let masked = Chain(transform.masked(selector), rule)
    return Property.forAll(
      .optimiserCase(parameters: parameters, steps: 1...5), name: "masked leaves untouched", configuration: configuration
    ) { sample in
      let start = sample.parameters
      var a = start, b = start
      var stateA = masked.initialState(for: a), stateB = rule.initialState(for: b)
      for (step, gradient) in sample.gradients.enumerated() {
        masked.update(&stateA, &a, gradient)
        rule.update(&stateB, &b, gradient)
        for leaf in 0..<start.parameterLeafCount {
          let name = start.parameterLeafName(at: leaf)
          if !selector.contains(leaf: leaf, of: start) {
            let same = a.withParameterLeaf(at: leaf) { x in
              b.withParameterLeaf(at: leaf) { y in zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern } }
            }
            try Property.require(same, "after step \(step + 1) the unselected leaf '\(name)' differs from the rule alone")
          }
        }
      }
    }
  }

  /// Global-norm clipping is idempotent and keeps direction: clipping twice
  /// gives the once-clipped gradient within 2 ulps (the norm after clipping is
  /// `maxNorm` only up to rounding, so a second clip may rescale by 1 − ε), and
  /// the clipped gradient is λ·g with λ = min(1, maxNorm/‖g‖) within 2 ulps.
  ///
  /// - Parameters:
  ///   - maxNorms: The thresholds to try; default `double(in: 1e-3...10)`.
  ///   - parameters: The leaf layout.
  ///   - configuration: Default ``defaultConfiguration``.
  /// - Complexity: See ``SemanticLaws``.
  public static func globalClipping<P: Differentiable>(
    maxNorms: Generator<Double> = .hyperparameter(in: 1e-3...10), parameters: ParameterGenerator<P>,
    configuration: PropertyConfiguration = defaultConfiguration
  ) -> PropertyReport<(OptimiserCase<P>, Double)> {
    Property.forAll(
      .zip(.optimiserCase(parameters: parameters, steps: 1...1, gradientScale: 3), maxNorms),
      name: "ClipGlobalNorm idempotent and direction-preserving", configuration: configuration
    ) { sample, maxNorm in
      let clip = ClipGlobalNorm(maxNorm)
      let params = sample.parameters
      var state = clip.initialState(for: params)
      let g = sample.gradients[0]
      var once = g
      clip.transform(&state, &once, params)
      var twice = once
      clip.transform(&state, &twice, params)
      let raw = g.flattenedScalars, a = once.flattenedScalars, b = twice.flattenedScalars
      let norm = raw.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
      let lambda = norm > maxNorm ? maxNorm / norm : 1
      for i in raw.indices {
        let unit = 2 * Double(Swift.max(a[i].magnitude, b[i].magnitude).ulp)
        try Property.require(
          (Double(a[i]) - Double(b[i])).magnitude <= unit, "clipping twice changed coordinate \(i): \(a[i]) vs \(b[i])")
        let expected = lambda * Double(raw[i])
        try Property.require(
          (Double(a[i]) - expected).magnitude <= 2 * Double(a[i].magnitude.ulp) + 4 * Double(type(of: a[i]).ulpOfOne) * expected.magnitude,
          "coordinate \(i) clipped to \(a[i]), λ·g = \(expected) with λ = \(lambda)")
      }
    }
  }
}
