import Optimisers

/// The tour's objective-driven optimisers: L-BFGS with two line searches,
/// trained iteration by iteration next to the first-order rules. Their table
/// rows count iterations as steps and add the objective evaluations to
/// tolerance (a first-order rule makes one per step).
enum ObjectiveRuns {
  static let names = ["L-BFGS (strong Wolfe)", "L-BFGS (zoom)"]

  /// One iteration per step, with the value and gradient the line search found
  /// kept in the state (the optax convention), so no evaluation is repeated.
  static func optimisers<P: Differentiable>(_: P.Type) -> [(String, LBFGS<P>)] {
    let strongWolfe = LBFGS<P>(
      historySize: 10, maximumIterations: 1, maximumEvaluations: 50, gradientTolerance: 1e-14, changeTolerance: 0,
      lineSearch: .strongWolfe(), convention: .optax)
    var zoom = LBFGS<P>.optax()
    zoom.gradientTolerance = 1e-14
    return [(names[0], strongWolfe), (names[1], zoom)]
  }

  /// Runs every selected objective-driven optimiser on `problem`.
  static func results<Problem: TourProblem>(_ problem: Problem, selectedRules: Set<String>?) -> [RunResult] {
    optimisers(Problem.Params.self).compactMap { name, lbfgs in
      guard selectedRules?.contains(name.lowercased()) ?? true else { return nil }
      return train(problem, lbfgs, named: name)
    }
  }

  /// Trains `lbfgs` from the problem's start for at most `problem.steps`
  /// iterations, stopping early once a step reports a converged gradient.
  static func train<Problem: TourProblem>(_ problem: Problem, _ lbfgs: LBFGS<Problem.Params>, named name: String) -> RunResult {
    let clock = ContinuousClock()
    let start = clock.now
    var params = problem.initial
    var state = lbfgs.initialState(for: params)
    var losses: [Double] = []
    var trajectory: [(x: Double, y: Double)] = []
    if let point = problem.position(of: params) { trajectory.append(point) }
    var stepsToTolerance: Int?
    var evaluationsToTolerance: Int?
    var failure: String?
    let objective = { (p: Problem.Params) in
      let (loss, gradient) = problem.lossAndGradient(at: p)
      return (value: loss, gradient: gradient)
    }
    for step in 0...problem.steps {
      let loss = problem.lossAndGradient(at: params).loss
      losses.append(loss)
      if loss > problem.tolerance {
        (stepsToTolerance, evaluationsToTolerance) = (nil, nil)
      } else if stepsToTolerance == nil {
        (stepsToTolerance, evaluationsToTolerance) = (step, state.evaluations)
      }
      if step == problem.steps { break }
      do {
        let report = try lbfgs.step(&state, &params, objective: objective)
        if let point = problem.position(of: params) { trajectory.append(point) }
        if report.stopReason == .gradientTolerance || report.iterations == 0 {
          losses.append(problem.lossAndGradient(at: params).loss)
          break
        }
      } catch {
        failure = "stopped: \(error)"
        break
      }
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    let finalLoss = losses.last ?? .nan
    if stepsToTolerance != nil && finalLoss > problem.tolerance { (stepsToTolerance, evaluationsToTolerance) = (nil, nil) }
    let evaluations = evaluationsToTolerance.map { "\($0) evaluations to tol" } ?? "\(state.evaluations) evaluations"
    return RunResult(
      rule: name, learningRate: 1, finalLoss: finalLoss, stepsToTolerance: stepsToTolerance, seconds: seconds,
      losses: losses, trajectory: trajectory,
      remark: [evaluations, failure, problem.remark(on: params)].compactMap { $0 }.joined(separator: "; "),
      diverged: !finalLoss.isFinite)
  }
}
