// The lower-precision section of the tour: the seed's regression and
// classifier trained with f32 Adam, 8-bit Adam, and 8-bit Adam on bfloat16
// parameters with stochastic rounding (and a bfloat16 model through a Float
// master copy), each at its best learning rate. The models' parameters are
// held as one flat tensor of the precision under test; the loss and gradient
// are computed in Double from those values.
//
// Every configuration's learning rate decays to 0 by a cosine over the run,
// as low-precision runs are trained: with stochastic rounding, a step that
// shrinks toward 0 lets bfloat16 weights settle on grid points instead of
// jittering around the minimum, and the f32 runs get the same schedule.
//
// A model whose parameters are stored in bfloat16 cannot get closer to a
// minimum than bfloat16 can represent it: its tolerance is the larger of the
// problem's tolerance and the resolution floor, the loss at f32 Adam's
// solution rounded to bfloat16 (8 significant bits). The floor is measured
// in the same run and printed beside the results.
import Optimisers

/// One precision configuration of the tour.
struct PrecisionRun<Problem: TourProblem> {
  let name: String
  /// Whether the parameters are stored in bfloat16 (the tolerance is then
  /// at least the resolution floor).
  let bfloat16: Bool
  let run: (Problem, Double, Double) -> RunResult
}

/// The parameters of `model`, flattened in leaf order.
func flatValues<M: Differentiable>(_ model: M) -> [Double] {
  var values: [Double] = []
  for leaf in 0..<model.parameterLeafCount {
    model.withParameterLeaf(at: leaf) { values += $0.map { Double($0) } }
  }
  return values
}

/// `model` with its parameters replaced by `values`, in leaf order.
func withFlatValues<M: Differentiable>(_ model: M, _ values: [Double]) -> M {
  var result = model
  var offset = 0
  for leaf in 0..<result.parameterLeafCount {
    result.withMutableParameterLeaf(at: leaf) { buffer in
      for i in buffer.indices { buffer[i] = .init(values[offset + i]) }
      offset += buffer.count
    }
  }
  return result
}

/// Trains `rule` on a flat tensor of scalar `S` standing for `problem`'s
/// model; returns the run and the final parameters.
func trainFlat<Problem: TourProblem, Rule: Optimiser, S: ParameterScalar>(
  _ problem: Problem, _ rule: Rule, named name: String, learningRate: Double, tolerance: Double
) -> (run: RunResult, values: [Double]) where Rule.Params == Tensor<S> {
  let start = flatValues(problem.initial)
  var params = Tensor<S>(shape: [start.count], scalars: start.map { S($0) })
  var state = rule.initialState(for: params)
  var losses: [Double] = []
  var stepsToTolerance: Int?
  var model = problem.initial
  for step in 0...problem.steps {
    model = withFlatValues(problem.initial, params.scalars.map { Double($0) })
    let (loss, gradient) = problem.lossAndGradient(at: model)
    losses.append(loss)
    if loss > tolerance { stepsToTolerance = nil } else if stepsToTolerance == nil { stepsToTolerance = step }
    if !loss.isFinite || step == problem.steps { break }
    var flat: [S] = []
    for leaf in 0..<gradient.leafCount { gradient.withLeaf(at: leaf) { flat += $0.map { S(Double($0)) } } }
    rule.update(&state, &params, Tensor(shape: [flat.count], scalars: flat))
  }
  let final = losses.last ?? .nan
  let run = RunResult(
    rule: name, learningRate: learningRate, finalLoss: final.isFinite ? final : .infinity,
    stepsToTolerance: stepsToTolerance, seconds: 0, losses: losses, trajectory: [],
    remark: problem.remark(on: model), diverged: !final.isFinite)
  return (run, params.scalars.map { Double($0) })
}

/// `rule` with its learning rate (at `keyPath`) decayed from `rate` to 0 by
/// a cosine over `steps`.
func annealed<Base: Optimiser>(
  _ rule: Base, _ keyPath: WritableKeyPath<Base, Double> & Sendable, from rate: Double, over steps: Int
) -> Scheduled<Base, CosineDecay> {
  Scheduled(rule, keyPath, by: CosineDecay(initial: rate, decaySteps: steps))
}

/// f32 Adam as the tour runs it, the reference of every configuration.
func referenceAdam(_ rate: Double, over steps: Int) -> Scheduled<Adam<Tensor<Float>>, CosineDecay> {
  annealed(Adam(learningRate: rate), \.learningRate, from: rate, over: steps)
}

/// The configurations compared.
func precisionRuns<Problem: TourProblem>(_: Problem.Type) -> [PrecisionRun<Problem>] {
  [
    PrecisionRun(name: "Adam, f32", bfloat16: false) { problem, rate, tolerance in
      trainFlat(problem, referenceAdam(rate, over: problem.steps), named: "Adam, f32", learningRate: rate, tolerance: tolerance).run
    },
    PrecisionRun(name: "8-bit Adam, f32", bfloat16: false) { problem, rate, tolerance in
      trainFlat(problem, annealed(Quantised(Adam<Tensor<Float>>(learningRate: rate)), \.base.learningRate, from: rate, over: problem.steps),
                named: "8-bit Adam, f32", learningRate: rate, tolerance: tolerance).run
    },
    PrecisionRun(name: "8-bit Adam, bf16 + SR", bfloat16: true) { problem, rate, tolerance in
      let rule = Quantised(Adam<Tensor<BFloat16>>(learningRate: rate), rounding: .stochastic(seed: 1))
      return trainFlat(problem, annealed(rule, \.base.learningRate, from: rate, over: problem.steps),
                named: "8-bit Adam, bf16 + SR", learningRate: rate, tolerance: tolerance).run
    },
    PrecisionRun(name: "Adam, bf16 master + SR", bfloat16: true) { problem, rate, tolerance in
      let rule = MixedPrecision(Adam(learningRate: rate), parameters: Tensor<BFloat16>.self, rounding: .stochastic(seed: 1))
      return trainFlat(problem, annealed(rule, \.base.learningRate, from: rate, over: problem.steps),
                named: "Adam, bf16 master + SR", learningRate: rate, tolerance: tolerance).run
    },
  ]
}

/// The best run of `configuration` over the problem's learning rates.
func bestRun<Problem: TourProblem>(_ configuration: PrecisionRun<Problem>, _ problem: Problem, tolerance: Double) -> RunResult? {
  var best: RunResult?
  for rate in problem.learningRates {
    let result = configuration.run(problem, rate, tolerance)
    if best.map({ result.isBetter(than: $0) }) ?? true { best = result }
  }
  return best
}

/// The loss at the parameters of f32 Adam's best run on `problem`, rounded to
/// bfloat16: how close to the minimum bfloat16 parameters can be expected to get.
func bfloat16Floor<Problem: TourProblem>(_ problem: Problem) -> Double {
  let rate = bestRun(precisionRuns(Problem.self)[0], problem, tolerance: problem.tolerance)!.learningRate
  let solution = trainFlat(problem, referenceAdam(rate, over: problem.steps), named: "", learningRate: rate,
                           tolerance: problem.tolerance).values
  let rounded = solution.map { Double(BFloat16($0).floatValue) }
  return problem.lossAndGradient(at: withFlatValues(problem.initial, rounded)).loss
}

/// Runs every configuration on `problem` and prints the table.
func runLowerPrecision<Problem: TourProblem>(_ problem: Problem) {
  let floor = bfloat16Floor(problem)
  let bfloat16Tolerance = Swift.max(problem.tolerance, floor)
  var ranked: [RunResult] = []
  for configuration in precisionRuns(Problem.self) {
    let tolerance = configuration.bfloat16 ? bfloat16Tolerance : problem.tolerance
    if let best = bestRun(configuration, problem, tolerance: tolerance) { ranked.append(best) }
  }
  print("\(problem.name) in lower precision: parameters as one flat tensor of the precision shown; tolerance \(problem.tolerance)")
  print("  bf16 parameters: f32 Adam's solution rounded to bf16 has loss \(floor), so their tolerance is \(bfloat16Tolerance)")
  for result in ranked {
    let reached = result.stepsToTolerance.map { "reached its tolerance at step \($0)" } ?? "did not reach its tolerance"
    print("  \(result.rule.padding(toLength: 24, withPad: " ", startingAt: 0)) rate \(result.learningRate)  final loss \(result.finalLoss)  \(reached)\(result.remark.map { "; \($0)" } ?? "")")
  }
  print()
}
