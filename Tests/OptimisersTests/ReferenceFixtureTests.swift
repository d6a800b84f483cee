import Foundation
import Optimisers
import Testing

/// One case of `Tests/Fixtures/rules.json`: a reference optimiser run (PyTorch or
/// optax) on given gradients or a closed-loop Rosenbrock descent.
struct FixtureCase: Decodable, Sendable, CustomTestStringConvertible {
  let name: String
  let rule: String
  let options: [String: String]
  let reference: String
  let hyperparameters: [String: FixtureValue]
  let kind: String
  let shapes: [[Int]]
  let initial: [[Double]]
  let gradients: [[[Double]]]?
  let trajectory: [[[Double]]]
  let trajectory32: [[[Double]]]?

  var testDescription: String { name }

  /// The hyperparameter `key` as a number; fails the test when it is absent or
  /// not a number.
  func number(_ key: String) throws -> Double {
    guard case .number(let value)? = hyperparameters[key] else {
      throw FixtureError.missing("\(name): hyperparameter '\(key)' is missing or not a number")
    }
    return value
  }

  /// The hyperparameter `key` as a number, or `nil` when the fixture has `null`.
  func optionalNumber(_ key: String) throws -> Double? {
    switch hyperparameters[key] {
    case .number(let value)?: return value
    case .null?: return nil
    default: throw FixtureError.missing("\(name): hyperparameter '\(key)' is missing")
    }
  }

  /// The hyperparameter `key` as a Boolean.
  func flag(_ key: String) throws -> Bool {
    guard case .bool(let value)? = hyperparameters[key] else {
      throw FixtureError.missing("\(name): hyperparameter '\(key)' is missing or not a Boolean")
    }
    return value
  }

  /// The option `key`.
  func option(_ key: String) throws -> String {
    guard let value = options[key] else {
      throw FixtureError.missing("\(name): option '\(key)' is missing")
    }
    return value
  }
}

/// A JSON hyperparameter value: a number, a Boolean or `null`.
enum FixtureValue: Decodable, Sendable {
  case number(Double)
  case bool(Bool)
  case null

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else {
      self = .number(try container.decode(Double.self))
    }
  }
}

enum FixtureError: Error, CustomStringConvertible {
  case missing(String)
  case unknownRule(String)
  case unknownOption(String)

  var description: String {
    switch self {
    case .missing(let message): return message
    case .unknownRule(let rule): return "no Swift rule for fixture rule '\(rule)'"
    case .unknownOption(let message): return message
    }
  }
}

struct RuleFixtureFile: Decodable {
  let cases: [FixtureCase]
}

/// One optimiser step, with the state hidden inside the closure.
typealias Stepper<P: Differentiable> = (inout P, P.TangentVector) -> Void

/// Wraps a rule and its state into a ``Stepper``.
func stepper<O: Optimiser>(_ optimiser: O, from initial: O.Params) -> Stepper<O.Params> {
  var state = optimiser.initialState(for: initial)
  return { params, gradient in optimiser.update(&state, &params, gradient) }
}

/// Builds the Swift rule named by a fixture case from its options and
/// hyperparameters (Swift labels), for any parameter type.
func makeStepper<P: Differentiable>(_ c: FixtureCase, from initial: P) throws -> Stepper<P> {
  switch c.rule {
  case "SGD":
    return stepper(SGD<P>(learningRate: try c.number("learningRate"), decay: try c.number("decay")), from: initial)
  case "Momentum":
    return stepper(
      Momentum<P>(
        learningRate: try c.number("learningRate"), momentum: try c.number("momentum"),
        decay: try c.number("decay")), from: initial)
  case "Nesterov":
    return stepper(
      Nesterov<P>(
        learningRate: try c.number("learningRate"), momentum: try c.number("momentum"),
        decay: try c.number("decay")), from: initial)
  case "Adam":
    return stepper(
      Adam<P>(
        learningRate: try c.number("learningRate"), beta1: try c.number("beta1"), beta2: try c.number("beta2"),
        epsilon: try c.number("epsilon"), decay: try c.number("decay")), from: initial)
  default:
    return try makeFamilyStepper(c, from: initial)
  }
}

/// Builds the Swift optimiser a fixture case names.
protocol StepperFactory {
  /// The optimiser of case `c`, wrapped with its state into a ``Stepper``.
  func make<P: Differentiable>(_ c: FixtureCase, from initial: P) throws -> Stepper<P>
}

/// The rules of `rules.json` (``makeStepper(_:from:)``).
struct ReferenceRuleFactory: StepperFactory {
  func make<P: Differentiable>(_ c: FixtureCase, from initial: P) throws -> Stepper<P> { try makeStepper(c, from: initial) }
}

@Suite struct ReferenceFixtureTests {
  static let cases: [FixtureCase] = (try? Fixtures.load(RuleFixtureFile.self, from: "rules.json").cases) ?? []

  /// Relative tolerance and absolute floor for float64 comparisons: the floor
  /// keeps values that pass near zero from blowing up the relative measure.
  static let doubleTolerance = 1e-10, doubleFloor = 1e-12
  /// The same for float32 runs (compared with the reference's float32 run,
  /// relative to the largest magnitude each element has had; see
  /// ``run(_:as:expected:floor:tracksScale:)``).
  static let floatTolerance = 1e-4, floatFloor = 1e-6
  /// The core issue's tighter bounds for SGD, Momentum, Nesterov and Adam.
  static let coreRules: Set<String> = ["SGD", "Momentum", "Nesterov", "Adam"]

  @Test func fixturesAreLoaded() throws {
    let file = try Fixtures.load(RuleFixtureFile.self, from: "rules.json")
    #expect(file.cases.count == Self.cases.count)
    #expect(file.cases.count > 0)
  }

  @Test(arguments: ReferenceFixtureTests.cases)
  func matchesReference(_ c: FixtureCase) throws {
    let core = Self.coreRules.contains(c.rule)
    let tolerance64 = core ? 1e-12 : Self.doubleTolerance
    let tolerance32 = core ? 1e-5 : Self.floatTolerance
    let (error64, error32) = try errors(c)
    #expect(error64 <= tolerance64, "\(c.name): float64 trajectory differs by \(error64) relative")
    #expect(error32 <= tolerance32, "\(c.name): float32 trajectory differs by \(error32) relative")
  }

  /// The case's largest relative errors in float64 (against its trajectory)
  /// and float32 (against its float32 trajectory, scale-tracked), printed.
  func errors(_ c: FixtureCase) throws -> (float64: Double, float32: Double) {
    let error64 = try run(c, as: Double.self, expected: c.trajectory, floor: Self.doubleFloor, tracksScale: false)
    let error32 = try run(
      c, as: Float.self, expected: c.trajectory32 ?? c.trajectory, floor: Self.floatFloor, tracksScale: true)
    print("fixture \(c.name): max relative error float64 \(error64), float32 \(error32)")
    return (error64, error32)
  }

  /// Runs the case in `S` and returns the largest relative difference from
  /// `expected` over every step and element.
  ///
  /// The difference is |a − b| / max(|a|, |b|, floor). With `tracksScale`, the
  /// floor of each element also includes the largest magnitude the element had
  /// in the reference so far: float32 rounding at magnitude M leaves an absolute
  /// error near M·2⁻²⁴ that survives when the value later shrinks through zero
  /// (the reference carries an error of the same size), so for float32 runs the
  /// error is measured against the scale the value has had.
  func run<S: ParameterScalar>(
    _ c: FixtureCase, as _: S.Type, expected: [[[Double]]], floor: Double, tracksScale: Bool,
    factory: any StepperFactory = ReferenceRuleFactory()
  ) throws -> Double {
    var worst = 0.0
    var scale = c.initial.map { $0.map { tracksScale ? abs($0) : 0 } }
    func compare(_ step: Int, _ leaves: [[S]]) {
      let want = expected[step]
      for (leaf, values) in leaves.enumerated() {
        for (i, value) in values.enumerated() {
          let a = Double(value), b = want[leaf][i]
          if tracksScale { scale[leaf][i] = max(scale[leaf][i], abs(b)) }
          let difference = a == b ? 0 : abs(a - b) / max(abs(a), abs(b), floor, scale[leaf][i])
          worst = max(worst, a.isNaN || b.isNaN ? .infinity : difference)
        }
      }
    }
    if c.kind == "rosenbrock" {
      var p = Tensor<S>(shape: c.shapes[0], scalars: c.initial[0].map { S($0) })
      let step = try factory.make(c, from: p)
      for t in 0..<expected.count {
        let x = p.scalars[0], y = p.scalars[1]
        let r = y - x * x
        let dx = S(-2) * (S(1) - x) - S(400) * x * r
        let dy = S(200) * r
        step(&p, Tensor([dx, dy]))
        compare(t, [p.scalars])
      }
    } else {
      guard let gradients = c.gradients, c.shapes.count == 2 else {
        throw FixtureError.missing("\(c.name): expected two leaves and gradients")
      }
      func tensors(_ leaves: [[Double]]) -> [Tensor<S>] {
        zip(c.shapes, leaves).map { Tensor(shape: $0, scalars: $1.map { S($0) }) }
      }
      let start = tensors(c.initial)
      var model = AffineModel<S>(weight: start[0], bias: start[1])
      let step = try factory.make(c, from: model)
      #expect(gradients.count == expected.count)
      for t in 0..<expected.count {
        step(&model, Tangent(leaves: tensors(gradients[t])))
        compare(t, [model.weight.scalars, model.bias.scalars])
      }
    }
    return worst
  }
}
