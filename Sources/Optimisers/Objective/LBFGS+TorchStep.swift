extension LBFGS {
  /// One `torch.optim.LBFGS.step(closure)`, statement by statement: evaluate
  /// at x; then up to `max_iter` iterations of direction, step length, move
  /// and the stopping tests, in torch's order.
  @inlinable
  func torchStep(
    _ state: inout State, _ params: inout Params, _ evaluator: inout ObjectiveEvaluator<Params>
  ) throws(ObjectiveError) -> ObjectiveStepReport {
    var (sample, summary) = try evaluator.evaluate(params, direction: [])
    state.evaluations += 1
    let initialValue = sample.value
    guard summary.max > gradientTolerance else {
      return ObjectiveStepReport(
        iterations: 0, evaluations: 1, initialValue: initialValue, finalValue: initialValue,
        stopReason: .gradientTolerance)
    }
    var loss = sample.value
    var flatGradient = sample.gradient
    var t = state.stepSize
    var direction = state.direction
    var iterations = 0
    var reason = ObjectiveStopReason.iterationLimit
    var finalValueKnown = true
    let budget = evaluationBudget
    while iterations < maximumIterations {
      iterations += 1
      state.iteration += 1
      let slope: Double
      if state.iteration == 1 {
        state.stepDifferences = []
        state.gradientDifferences = []
        state.inverseCurvatures = []
        state.identityScale = 1
        (direction, slope) = TwoLoopRecursion.direction(
          gradient: flatGradient, steps: [], gradientChanges: [], inverseCurvatures: [], scale: 1, order: .torch)
      } else {
        recordTorchPair(&state, gradient: flatGradient, direction: direction, step: t)
        (direction, slope) = TwoLoopRecursion.direction(
          gradient: flatGradient, steps: state.stepDifferences, gradientChanges: state.gradientDifferences,
          inverseCurvatures: state.inverseCurvatures, scale: state.identityScale, order: .torch)
      }
      guard slope.isFinite else { throw .nonFiniteDirection(iteration: iterations) }
      state.previousGradient = flatGradient
      let previousLoss = loss
      state.previousValue = loss
      t = state.iteration == 1 ? PythonOrder.min(1, 1 / TorchAbsoluteSum.of(flatGradient)) * learningRate : learningRate
      if slope > -changeTolerance {
        reason = .directionalDerivativeTolerance
        break
      }
      var lineSearchEvaluations = 0
      var gradientSmall = false
      var lineSearchFailed = false
      let directionMax = FlatKernels.summary(direction).max
      if case .fixedStep = lineSearch {
        FlatParameters.assign(&params, from: nil, step: Scalar(t), along: direction)
        if iterations != maximumIterations {
          (sample, summary) = try evaluator.evaluate(params, direction: [])
          loss = sample.value
          flatGradient = sample.gradient
          gradientSmall = summary.max <= gradientTolerance
          lineSearchEvaluations = 1
        } else {
          finalValueKnown = false
        }
      } else {
        let origin = LineSample(value: loss, gradient: flatGradient, slope: slope, gradientMax: summary.max)
        let result = try searchLine(
          from: t, origin: origin, params: params, direction: direction, directionMax: directionMax,
          evaluator: &evaluator)
        loss = result.sample.value
        flatGradient = result.sample.gradient
        t = result.step
        lineSearchEvaluations = result.evaluations
        lineSearchFailed = !result.converged
        FlatParameters.assign(&params, from: nil, step: Scalar(t), along: direction)
        gradientSmall = result.sample.gradientMax <= gradientTolerance
      }
      guard t.isFinite else { throw .nonFiniteDirection(iteration: iterations) }
      state.evaluations += lineSearchEvaluations
      if iterations == maximumIterations { break }
      if evaluator.count >= budget {
        reason = .evaluationBudget
        break
      }
      if gradientSmall {
        reason = .gradientTolerance
        break
      }
      if abs(t) * directionMax <= changeTolerance {
        reason = lineSearchFailed ? .lineSearchFailure : .stepChangeTolerance
        break
      }
      if abs(loss - previousLoss) < changeTolerance {
        reason = lineSearchFailed ? .lineSearchFailure : .valueChangeTolerance
        break
      }
    }
    state.direction = direction
    state.stepSize = t
    return ObjectiveStepReport(
      iterations: iterations, evaluations: evaluator.count, initialValue: initialValue,
      finalValue: finalValueKnown ? loss : nil, stopReason: reason)
  }

  /// torch's memory update: y = g − g_prev, s = t·d; the pair is kept, and
  /// γ = y·s / y·y updated, only when y·s > 10⁻¹⁰.
  @inlinable
  func recordTorchPair(_ state: inout State, gradient g: [Scalar], direction d: [Scalar], step t: Double) {
    let n = g.count
    var y = [Scalar](repeating: 0, count: n), s = [Scalar](repeating: 0, count: n)
    var products = (ys: 0.0, yy: 0.0)
    if n > 0 {
      products = y.withUnsafeMutableBufferPointer { y in
        s.withUnsafeMutableBufferPointer { s in
          g.withUnsafeBufferPointer { g in
            state.previousGradient.withUnsafeBufferPointer { p in
              d.withUnsafeBufferPointer { d in
                FlatKernels.curvaturePair(
                  y: y.baseAddress!, s: s.baseAddress!, gradient: g.baseAddress!, previous: p.baseAddress!,
                  direction: d.baseAddress!, step: Scalar(t), n, order: .torch)
              }
            }
          }
        }
      }
    }
    guard products.ys > 1e-10 else { return }
    state.appendPair(step: s, gradientChange: y, inverseCurvature: 1.0 / products.ys, historySize: historySize)
    state.identityScale = products.ys / products.yy
  }

  /// Runs the configured line search from `start` along `direction`,
  /// evaluating at x + t·d in a scratch copy of the parameters.
  @inlinable
  func searchLine(
    from start: Double, origin: LineSample<Scalar>, params: Params, direction: [Scalar], directionMax: Double,
    evaluator: inout ObjectiveEvaluator<Params>
  ) throws(ObjectiveError) -> LineSearchResult<Scalar> {
    var trial = params
    func evaluate(_ t: Double) throws(ObjectiveError) -> LineSample<Scalar> {
      FlatParameters.assign(&trial, from: params, step: Scalar(t), along: direction)
      return try evaluator.evaluate(trial, direction: direction).0
    }
    switch lineSearch {
    case let .strongWolfe(search):
      return try search.search(
        from: start, origin: origin, directionMax: directionMax,
        remainingBudget: convention == .torch ? evaluationBudget - evaluator.count : 25, evaluate: evaluate)
    case let .zoom(search):
      return try search.search(from: start, origin: origin, evaluate: evaluate)
    case let .backtracking(search):
      return try search.search(from: start, origin: origin, evaluate: evaluate)
    case .fixedStep:
      preconditionFailure("a fixed step has no line search")
    }
  }
}
