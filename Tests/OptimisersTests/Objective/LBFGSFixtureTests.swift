import Foundation
import Optimisers
import Testing

/// `Tests/Fixtures/lbfgs.json`: torch.optim.LBFGS and optax.lbfgs runs.
struct LBFGSFixture: Decodable, Sendable {
  struct Problems: Decodable, Sendable {
    struct Rosenbrock: Decodable, Sendable { let initial: [Double] }
    struct LeastSquares: Decodable, Sendable {
      let rows: Int
      let columns: Int
      let matrix: [Double]
      let target: [Double]
      let initial: [Double]
    }
    let rosenbrock: Rosenbrock
    let leastSquares: LeastSquares
    let leastSquaresWide: LeastSquares
  }

  /// A hyperparameter: a number or a name.
  enum Value: Decodable, Sendable {
    case number(Double)
    case text(String)

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let number = try? container.decode(Double.self) { self = .number(number) } else {
        self = .text(try container.decode(String.self))
      }
    }
  }

  struct Step: Decodable, Sendable {
    let params: [Double]
    let evaluations: Int
    let iterations: Int
    let value: Double
  }

  struct Case: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let convention: String
    let problem: String
    let reference: String
    let hyperparameters: [String: Value]
    let steps: [Step]

    var testDescription: String { name }

    func number(_ key: String) -> Double? {
      if case .number(let value)? = hyperparameters[key] { return value }
      return nil
    }

    func text(_ key: String) -> String? {
      if case .text(let value)? = hyperparameters[key] { return value }
      return nil
    }

    /// The Swift optimiser the fixture's hyperparameters describe.
    func optimiser() throws -> LBFGS<Tensor<Double>> {
      let lineSearch: LineSearch
      switch text("lineSearch") {
      case "strongWolfe": lineSearch = .strongWolfe()
      case "zoom":
        lineSearch = .zoom(ZoomLineSearch(initialGuess: text("initialGuess") == "keep" ? .keep : .one))
      case "backtracking": lineSearch = .backtracking()
      case "fixedStep": lineSearch = .fixedStep
      default: throw FixtureError.missing("\(name): unknown line search")
      }
      if convention == "optax" {
        return LBFGS.optax(historySize: Int(number("historySize") ?? 10), lineSearch: lineSearch)
      }
      return LBFGS(
        learningRate: number("learningRate") ?? 1, historySize: Int(number("historySize") ?? 100),
        maximumIterations: Int(number("maximumIterations") ?? 20),
        maximumEvaluations: number("maximumEvaluations").map { Int($0) },
        gradientTolerance: number("gradientTolerance") ?? 1e-7, changeTolerance: number("changeTolerance") ?? 1e-9,
        lineSearch: lineSearch)
    }
  }

  /// torch's strong-Wolfe runs on Rosenbrock until f ≤ `tolerance`.
  struct ToTolerance: Decodable, Sendable {
    struct Run: Decodable, Sendable {
      let reference: String
      let iterations: Int
      let evaluations: Int
    }
    let tolerance: Double
    let runs: [String: Run]
  }

  let problems: Problems
  let cases: [Case]
  let rosenbrockToTolerance: ToTolerance

  static let shared: LBFGSFixture = {
    do { return try Fixtures.load(LBFGSFixture.self, from: "lbfgs.json") } catch {
      fatalError("cannot read lbfgs.json: \(error)")
    }
  }()

  /// The case's objective and starting point.
  func problem(_ name: String) -> (objective: @Sendable (Tensor<Double>) -> (value: Double, gradient: Tensor<Double>), initial: [Double]) {
    if name == "rosenbrock" { return (ObjectiveProblems.rosenbrock, problems.rosenbrock.initial) }
    let p = name == "leastSquaresWide" ? problems.leastSquaresWide : problems.leastSquares
    let leastSquares = ObjectiveProblems.LeastSquares(rows: p.rows, columns: p.columns, matrix: p.matrix, target: p.target)
    return ({ leastSquares($0) }, p.initial)
  }
}

@Suite("L-BFGS against torch.optim.LBFGS and optax.lbfgs")
struct LBFGSFixtureTests {
  @Test("every iterate within 1e-10 relative, the same evaluations and iterations", arguments: LBFGSFixture.shared.cases)
  func matchesReference(_ fixture: LBFGSFixture.Case) throws {
    let (objective, initial) = LBFGSFixture.shared.problem(fixture.problem)
    let lbfgs = try fixture.optimiser()
    var x = Tensor(initial)
    var state = lbfgs.initialState(for: x)
    var worst = 0.0
    for (index, expected) in fixture.steps.enumerated() {
      let report = try lbfgs.step(&state, &x, objective: objective)
      let got = x.scalars
      for (a, b) in zip(got, expected.params) { worst = max(worst, relativeDifference(a, b)) }
      #expect(
        zip(got, expected.params).allSatisfy { relativeDifference($0, $1) <= 1e-10 },
        "\(fixture.name) step \(index + 1): \(got) against \(expected.params)")
      #expect(state.evaluations == expected.evaluations, "\(fixture.name) step \(index + 1): evaluations")
      #expect(state.iteration == expected.iterations, "\(fixture.name) step \(index + 1): iterations")
      // Values near 0 are compared absolutely: f = (1 − x)² + … loses the relative
      // accuracy of x as x → 1.
      #expect(
        abs(report.initialValue - expected.value) <= 1e-10 * max(abs(expected.value), 1),
        "\(fixture.name) step \(index + 1): value \(report.initialValue) against \(expected.value)")
      if ProcessInfo.processInfo.environment["LBFGS_DEBUG"] != nil {
        print("DEBUG \(fixture.name) \(index + 1) worst \(worst) evals \(state.evaluations)/\(expected.evaluations) \(got) \(expected.params)")
      }
      if worst > 1e-10 || state.evaluations != expected.evaluations { break }
    }
    #expect(worst <= 1e-10)
  }
}
