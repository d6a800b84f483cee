/// The checks of ``LBFGS/validate(_:for:)``: lengths, history, counters and
/// finiteness of a decoded ``LBFGSState``.
///
/// - Complexity: O(*mn*).
enum LBFGSStateCheck {
  static func validate<S: ParameterScalar>(_ state: LBFGSState<S>, scalars n: Int, historySize: Int) throws(OptimiserError) {
    func length(_ vector: [S], _ name: String, optional: Bool = true) throws(OptimiserError) {
      guard vector.count == n || (optional && vector.isEmpty) else {
        throw .leafCountMismatch(buffer: name + " (scalars)", expected: n, found: vector.count)
      }
      guard vector.allSatisfy({ $0.isFinite }) else { throw .invalidState("\(name) holds a non-finite scalar") }
    }
    guard state.iteration >= 0, state.evaluations >= 0 else {
      throw .invalidState("negative counters: iteration \(state.iteration), evaluations \(state.evaluations)")
    }
    try length(state.direction, "direction")
    try length(state.previousGradient, "previousGradient")
    try length(state.previousParameters, "previousParameters")
    try length(state.gradient, "gradient")
    let pairs = state.stepDifferences.count
    guard state.gradientDifferences.count == pairs, state.inverseCurvatures.count == pairs else {
      throw .invalidState(
        "the history has \(pairs) steps, \(state.gradientDifferences.count) gradient changes and "
          + "\(state.inverseCurvatures.count) curvatures")
    }
    guard pairs <= historySize else {
      throw .invalidState("the history holds \(pairs) pairs, more than historySize \(historySize)")
    }
    for index in 0..<pairs {
      try length(state.stepDifferences[index], "stepDifferences[\(index)]", optional: false)
      try length(state.gradientDifferences[index], "gradientDifferences[\(index)]", optional: false)
    }
    let numbers = [state.stepSize, state.identityScale, state.lineSearchStepSize] + state.inverseCurvatures
      + [state.previousValue, state.value].compactMap { $0 }
    guard numbers.allSatisfy({ $0.isFinite }) else { throw .invalidState("a step size, scale, curvature or value is not finite") }
    guard state.iteration == 0 || !state.direction.isEmpty else {
      throw .invalidState("iteration \(state.iteration) but no direction")
    }
  }
}
