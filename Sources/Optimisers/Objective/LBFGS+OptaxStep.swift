extension LBFGS {
  /// Iterations of `optax.lbfgs` as its documented loop runs them: value and
  /// gradient from the state when it has them (else one evaluation), the
  /// memory update and two-loop direction of `scale_by_lbfgs`, the sign flip,
  /// the line search, `apply_updates`.
  @inlinable
  func optaxStep(
    _ state: inout State, _ params: inout Params, _ evaluator: inout ObjectiveEvaluator<Params>
  ) throws(ObjectiveError) -> ObjectiveStepReport {
    var initialValue = Double.nan
    var iterations = 0
    var reason = ObjectiveStopReason.iterationLimit
    let budget = evaluationBudget
    while true {
      if iterations == maximumIterations { break }
      if iterations > 0 && evaluator.count >= budget {
        reason = .evaluationBudget
        break
      }
      // `optax.value_and_grad_from_state`.
      let loss: Double
      let gradientMax: Double
      if let value = state.value, !state.gradient.isEmpty || FlatParameters.count(of: params) == 0 {
        loss = value
        gradientMax = FlatKernels.summary(state.gradient).max
      } else {
        let (sample, summary) = try evaluator.evaluate(params, direction: [])
        state.evaluations += 1
        (loss, state.value, state.gradient, gradientMax) = (sample.value, sample.value, sample.gradient, summary.max)
      }
      if iterations == 0 { initialValue = loss }
      if gradientMax <= gradientTolerance {
        reason = .gradientTolerance
        break
      }
      iterations += 1
      let g = state.gradient
      let x = FlatParameters.gather(parameters: params)
      let gamma: Double
      if state.iteration > 0 {
        gamma = recordOptaxPair(&state, parameters: x, gradient: g)
      } else {
        gamma = NaNPropagating.min(1.0, 1.0 / FlatKernels.squaredNormXLA(g).squareRoot())
      }
      state.iteration += 1
      let (direction, slope) = TwoLoopRecursion.direction(
        gradient: g, steps: state.stepDifferences, gradientChanges: state.gradientDifferences,
        inverseCurvatures: state.inverseCurvatures, scale: gamma, order: .xla)
      guard slope.isFinite, gamma.isFinite else { throw .nonFiniteDirection(iteration: iterations) }
      state.previousParameters = x
      state.previousGradient = g
      state.previousValue = loss
      state.identityScale = gamma
      state.direction = direction
      if changeTolerance > 0 && slope > -changeTolerance {
        reason = .directionalDerivativeTolerance
        break
      }
      var t: Double
      var converged = true
      if case .fixedStep = lineSearch {
        t = learningRate
        state.value = nil
        state.gradient = []
      } else {
        let origin = LineSample(value: loss, gradient: g, slope: slope, gradientMax: gradientMax)
        let result = try searchLine(
          from: optaxInitialStep(state), origin: origin, params: params, direction: direction,
          directionMax: FlatKernels.summary(direction).max, evaluator: &evaluator)
        t = result.step
        converged = result.converged
        state.evaluations += result.evaluations
        state.value = result.sample.value
        state.gradient = result.sample.gradient
      }
      guard t.isFinite else { throw .nonFiniteDirection(iteration: iterations) }
      state.stepSize = t
      state.lineSearchStepSize = t
      // `optax.apply_updates(params, t·d)`: the product is rounded first.
      FlatParameters.assign(&params, from: nil, step: Scalar(t), along: direction, fused: false)
      if !converged {
        reason = .lineSearchFailure
        break
      }
      if abs(t) * FlatKernels.summary(direction).max <= changeTolerance && changeTolerance > 0 {
        reason = .stepChangeTolerance
        break
      }
      if let value = state.value, abs(value - loss) < changeTolerance {
        reason = .valueChangeTolerance
        break
      }
    }
    return ObjectiveStepReport(
      iterations: iterations, evaluations: evaluator.count, initialValue: initialValue,
      finalValue: state.value, stopReason: reason)
  }

  /// `scale_by_lbfgs`'s memory update: s = x − x_prev, y = g − g_prev,
  /// ρ = 1/(y·s) (0 when y·s = 0), always kept; returns γ = y·s / y·y
  /// (1 when y·y = 0).
  @inlinable
  func recordOptaxPair(_ state: inout State, parameters x: [Scalar], gradient g: [Scalar]) -> Double {
    let n = x.count
    var s = [Scalar](repeating: 0, count: n), y = [Scalar](repeating: 0, count: n)
    for i in 0..<n {
      s[i] = x[i] - state.previousParameters[i]
      y[i] = g[i] - state.previousGradient[i]
    }
    let ys = FlatKernels.dot(y, s, order: .xla)
    let yy = FlatKernels.squaredNormXLA(y)
    state.appendPair(step: s, gradientChange: y, inverseCurvature: ys == 0 ? 0 : 1.0 / ys, historySize: historySize)
    return yy > 0 ? ys / yy : 1.0
  }

  /// The first trial step of the line search under the optax convention.
  @inlinable
  func optaxInitialStep(_ state: State) -> Double {
    switch lineSearch {
    case let .zoom(search): return search.initialGuess == .one ? 1 : state.lineSearchStepSize
    case let .backtracking(search): return Swift.min(search.increaseFactor * state.lineSearchStepSize, search.maximumStepSize)
    case .fixedStep, .strongWolfe: return learningRate
    }
  }
}
