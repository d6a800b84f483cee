import Foundation
import Optimisers
import Testing

/// Checkpoints, purity, errors and determinism of ``LBFGS``.
@Suite("L-BFGS: state, purity, errors")
struct LBFGSBehaviourTests {
  static let configurations: [LBFGS<Tensor<Double>>] = [
    LBFGS(historySize: 4, maximumIterations: 3, lineSearch: .strongWolfe()),
    LBFGS(learningRate: 0.25, historySize: 4, maximumIterations: 3),
    LBFGS(historySize: 4, maximumIterations: 3, lineSearch: .zoom()),
    LBFGS(historySize: 4, maximumIterations: 3, lineSearch: .backtracking()),
    LBFGS.optax(historySize: 3),
    LBFGS.optax(historySize: 3, lineSearch: .backtracking()),
  ]

  static let rosenbrock = ObjectiveProblems.rosenbrock

  @Test("a run resumed from a JSON checkpoint is bit-identical, history included", arguments: configurations)
  func resumeFromJSON(_ lbfgs: LBFGS<Tensor<Double>>) throws {
    var x = Tensor([-1.2, 1.0])
    var state = lbfgs.initialState(for: x)
    for _ in 0..<4 { try lbfgs.step(&state, &x, objective: Self.rosenbrock) }
    #expect(!state.stepDifferences.isEmpty)
    let data = try JSONEncoder().encode(state)
    var resumed = try lbfgs.validated(JSONDecoder().decode(LBFGSState<Double>.self, from: data), for: x)
    #expect(resumed == state)
    var y = x
    for _ in 0..<4 {
      let a = try lbfgs.step(&state, &x, objective: Self.rosenbrock)
      let b = try lbfgs.step(&resumed, &y, objective: Self.rosenbrock)
      #expect(a == b)
    }
    #expect(x.bitPatternsEqual(y))
    #expect(resumed == state)
  }

  @Test("the pure form equals the in-place form and leaves its inputs unchanged", arguments: configurations)
  func pureEqualsInPlace(_ lbfgs: LBFGS<Tensor<Double>>) throws {
    var x = Tensor([-1.2, 1.0])
    var state = lbfgs.initialState(for: x)
    try lbfgs.step(&state, &x, objective: Self.rosenbrock)
    let (x0, s0) = (x, state)
    let (s1, x1, r1) = try lbfgs.step(state, x, objective: Self.rosenbrock)
    #expect(x.bitPatternsEqual(x0) && state == s0)
    let r2 = try lbfgs.step(&state, &x, objective: Self.rosenbrock)
    #expect(x.bitPatternsEqual(x1) && state == s1 && r1 == r2)
  }

  @Test("a non-finite value or gradient throws and leaves state and parameters as they were")
  func nonFiniteThrows() throws {
    let lbfgs = LBFGS<Tensor<Double>>(maximumIterations: 5, lineSearch: .strongWolfe())
    var x = Tensor([-1.2, 1.0])
    var state = lbfgs.initialState(for: x)
    try lbfgs.step(&state, &x, objective: Self.rosenbrock)
    let (x0, s0) = (x, state)
    // Finite at the current point, NaN at every trial point of the line search.
    let trap: (Tensor<Double>) -> (value: Double, gradient: Tensor<Double>) = { p in
      p.bitPatternsEqual(x0) ? Self.rosenbrock(p) : (.nan, p)
    }
    #expect(throws: Message(ObjectiveError.nonFiniteValue(value: .nan, evaluation: 2).description)) {
      do { try lbfgs.step(&state, &x, objective: trap) } catch let error as ObjectiveError { throw Message(error.description) }
    }
    #expect(x.bitPatternsEqual(x0) && state == s0)
    #expect(throws: ObjectiveError.nonFiniteGradient(evaluation: 1)) {
      try lbfgs.step(&state, &x) { p in (1, Tensor([.infinity, 0])) }
    }
    #expect(x.bitPatternsEqual(x0) && state == s0)
  }

  @Test("hyperparameters out of range are named")
  func hyperparameterErrors() {
    var lbfgs = LBFGS<Tensor<Double>>()
    lbfgs.historySize = 0
    #expect(throws: OptimiserError.invalidHyperparameter(rule: "LBFGS", name: "historySize", value: 0, requirement: "≥ 1")) {
      try lbfgs.validateHyperparameters()
    }
    lbfgs = LBFGS()
    lbfgs.lineSearch = .strongWolfe(StrongWolfeLineSearch(decreaseRatio: 0.95, curvatureRatio: 0.9))
    #expect(throws: OptimiserError.self) { try lbfgs.validateHyperparameters() }
    lbfgs.lineSearch = .zoom(ZoomLineSearch(increaseFactor: 1))
    #expect(throws: OptimiserError.invalidHyperparameter(
      rule: "ZoomLineSearch", name: "increaseFactor", value: 1, requirement: "finite and > 1")) {
      try lbfgs.validateHyperparameters()
    }
    lbfgs.lineSearch = .backtracking(BacktrackingLineSearch(decreaseFactor: 1))
    #expect(throws: OptimiserError.self) { try lbfgs.validateHyperparameters() }
    lbfgs.lineSearch = .fixedStep
    lbfgs.learningRate = -1
    #expect(throws: OptimiserError.self) { try lbfgs.validateHyperparameters() }
  }

  @Test("a state for other parameters or with a broken history is refused")
  func stateValidation() throws {
    let lbfgs = LBFGS<Tensor<Double>>(historySize: 2, lineSearch: .strongWolfe())
    var x = Tensor([-1.2, 1.0])
    var state = lbfgs.initialState(for: x)
    try lbfgs.step(&state, &x, objective: Self.rosenbrock)
    #expect(throws: OptimiserError.leafCountMismatch(buffer: "direction (scalars)", expected: 3, found: 2)) {
      try lbfgs.validate(state, for: Tensor([1, 2, 3]))
    }
    var broken = state
    broken.inverseCurvatures.append(1)
    #expect(throws: OptimiserError.self) { try lbfgs.validate(broken, for: x) }
    broken = state
    broken.stepSize = .nan
    #expect(throws: OptimiserError.self) { try lbfgs.validate(broken, for: x) }
    #expect(throws: OptimiserError.self) {
      try LBFGS<Tensor<Double>>(historySize: 1).validate(state, for: x)
    }
  }

  @Test("the stop reasons: gradient, change tolerances, iteration limit, evaluation budget")
  func stopReasons() throws {
    var x = Tensor([1.0, 1.0])
    let lbfgs = LBFGS<Tensor<Double>>(lineSearch: .strongWolfe())
    var state = lbfgs.initialState(for: x)
    #expect(try lbfgs.step(&state, &x, objective: Self.rosenbrock).stopReason == .gradientTolerance)
    x = Tensor([-1.2, 1.0])
    state = lbfgs.initialState(for: x)
    let limited = LBFGS<Tensor<Double>>(maximumIterations: 2, maximumEvaluations: 10, lineSearch: .strongWolfe())
    let first = try limited.step(&state, &x, objective: Self.rosenbrock)
    #expect(first.stopReason == .iterationLimit && first.iterations == 2)
    let budget = LBFGS<Tensor<Double>>(maximumIterations: 50, maximumEvaluations: 5, lineSearch: .strongWolfe())
    let second = try budget.step(&state, &x, objective: Self.rosenbrock)
    #expect(second.stopReason == .evaluationBudget && second.evaluations >= 5)
    let converged = LBFGS<Tensor<Double>>(maximumIterations: 500, maximumEvaluations: 1000, lineSearch: .strongWolfe())
    let last = try converged.step(&state, &x, objective: Self.rosenbrock)
    let tolerances: [ObjectiveStopReason] = [
      .valueChangeTolerance, .stepChangeTolerance, .directionalDerivativeTolerance, .gradientTolerance,
    ]
    #expect(tolerances.contains(last.stopReason), "\(last)")
    #expect(Self.rosenbrock(x).value < 1e-9)
  }

  @Test(
    "Rosenbrock from (−1.2, 1) reaches f ≤ 1e-10 in no more iterations than torch's strong_wolfe",
    arguments: [
      ("per-iteration", LBFGS<Tensor<Double>>(
        historySize: 10, maximumIterations: 1, maximumEvaluations: 26, lineSearch: .strongWolfe())),
      ("tight-tolerances", LBFGS<Tensor<Double>>(
        maximumIterations: 100, gradientTolerance: 1e-12, changeTolerance: 1e-14, lineSearch: .strongWolfe())),
    ])
  func rosenbrockIterations(_ label: String, _ lbfgs: LBFGS<Tensor<Double>>) throws {
    let target = LBFGSFixture.shared.rosenbrockToTolerance
    let torch = try #require(target.runs[label])
    var x = Tensor([-1.2, 1.0])
    var state = lbfgs.initialState(for: x)
    while Self.rosenbrock(x).value > target.tolerance && state.iteration < 1000 {
      try lbfgs.step(&state, &x, objective: Self.rosenbrock)
    }
    #expect(Self.rosenbrock(x).value <= target.tolerance)
    let (ours, theirs) = (state.iteration, torch.iterations)
    #expect(ours <= theirs)
    #expect(state.evaluations <= torch.evaluations)
  }

  @Test("a model of several leaves runs exactly as its concatenated vector")
  func leavesAsOneVector() throws {
    let p = ObjectiveProblems.LeastSquares(
      rows: 3, columns: 4, matrix: [1, 2, 0.5, -1, 0, 1, 3, 2, -2, 1, 1, 4], target: [1, -2, 0.5])
    let model = AffineModel<Double>(weight: Tensor([0.1, -0.2, 0.3]), bias: Tensor([0.4]))
    func objective(_ m: AffineModel<Double>) -> (value: Double, gradient: Tangent<AffineModel<Double>>) {
      let (value, g) = p(Tensor(m.flattenedParameters))
      var gradient = m.zeroTangentVector
      gradient[\.weight] = Tensor(Array(g.scalars[0..<3]))
      gradient[\.bias] = Tensor([g.scalars[3]])
      return (value, gradient)
    }
    for search in [LineSearch.strongWolfe(), .zoom(), .fixedStep] {
      let a = LBFGS<AffineModel<Double>>(learningRate: 0.1, maximumIterations: 6, lineSearch: search)
      let b = LBFGS<Tensor<Double>>(learningRate: 0.1, maximumIterations: 6, lineSearch: search)
      var m = model, v = Tensor(model.flattenedParameters)
      var sa = a.initialState(for: m), sb = b.initialState(for: v)
      for _ in 0..<3 {
        let ra = try a.step(&sa, &m, objective: objective)
        let rb = try b.step(&sb, &v, objective: p.callAsFunction)
        #expect(ra == rb)
      }
      #expect(m.flattenedParameters.elementsEqual(v.scalars) { $0.bitPattern == $1.bitPattern })
    }
  }

  @Test("the result does not depend on the number of threads")
  func threadIndependence() throws {
    // 2¹⁹ scalars: several blocks, above the parallel threshold.
    let n = 1 << 19
    let scales = Tensor((0..<n).map { 1 + Double($0 % 97) / 10 })
    let objective: (Tensor<Double>) -> (value: Double, gradient: Tensor<Double>) = { x in
      var value = 0.0
      var g = [Double](repeating: 0, count: n)
      x.withUnsafeBufferPointer { x in
        scales.withUnsafeBufferPointer { a in
          for i in 0..<n {
            let r = x[i] - 1
            value += a[i] * r * r
            g[i] = 2 * a[i] * r
          }
        }
      }
      return (value, Tensor(g))
    }
    let lbfgs = LBFGS<Tensor<Double>>(historySize: 3, maximumIterations: 4, lineSearch: .strongWolfe())
    func run(_ setting: Parallelism) throws -> (Tensor<Double>, LBFGSState<Double>) {
      try Parallelism.$current.withValue(setting) {
        var x = Tensor(repeating: 0, shape: [n])
        var state = lbfgs.initialState(for: x)
        for _ in 0..<2 { try lbfgs.step(&state, &x, objective: objective) }
        return (x, state)
      }
    }
    let (serialX, serialState) = try run(.serial)
    let (parallelX, parallelState) = try run(Parallelism(maximumThreads: 4, minimumParallelScalars: 1024))
    #expect(serialX.bitPatternsEqual(parallelX))
    #expect(serialState == parallelState)
  }
}

/// An error carrying a description, to compare errors whose payload holds NaN.
struct Message: Error, Equatable {
  let text: String
  init(_ text: String) { self.text = text }
}
