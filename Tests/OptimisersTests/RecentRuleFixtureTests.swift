import Foundation
import Optimisers
import Testing

/// The rules of issue 14 against `Tests/Fixtures/recent_rules.json`, generated
/// by their reference code (`generate_recent_rule_fixtures.py`): every step's
/// parameters to 1e-10 relative in `Double` and 1e-4 in `Float`, and for the
/// Schedule-Free rules also every step's evaluation parameters.
@Suite struct RecentRuleFixtureTests {
  /// A case's evaluation parameters, for the Schedule-Free rules.
  struct Evaluations: Decodable {
    let name: String
    let evaluation: [[[Double]]]?
    let evaluation32: [[[Double]]]?
  }

  struct File: Decodable {
    let cases: [FixtureCase]
  }

  struct EvaluationFile: Decodable {
    let cases: [Evaluations]
  }

  /// Cases not yet matched to the standard tolerances, with the bounds they do
  /// meet (float64, float32). None at present.
  static let knownGaps: [String: (Double, Double)] = [:]

  static func tolerances(_ c: FixtureCase) -> (Double, Double) {
    knownGaps[c.name] ?? (ReferenceFixtureTests.doubleTolerance, ReferenceFixtureTests.floatTolerance)
  }

  static let cases: [FixtureCase] = (try? Fixtures.load(File.self, from: "recent_rules.json").cases) ?? []

  @Test func fixturesAreLoaded() throws {
    let file = try Fixtures.load(File.self, from: "recent_rules.json")
    #expect(file.cases.count == Self.cases.count && !file.cases.isEmpty)
  }

  @Test(arguments: cases)
  func matchesReference(_ c: FixtureCase) throws {
    let reference = ReferenceFixtureTests()
    let error64 = try reference.run(
      c, as: Double.self, expected: c.trajectory, floor: ReferenceFixtureTests.doubleFloor, tracksScale: false)
    let error32 = try reference.run(
      c, as: Float.self, expected: c.trajectory32 ?? [], floor: ReferenceFixtureTests.floatFloor, tracksScale: true)
    let (tolerance64, tolerance32) = Self.tolerances(c)
    #expect(error64 <= tolerance64, "\(c.name): float64 trajectory differs by \(error64)")
    #expect(error32 <= tolerance32, "\(c.name): float32 trajectory differs by \(error32)")
  }

  static let evaluationCases = cases.filter { $0.rule.hasPrefix("ScheduleFree") }

  /// The evaluation parameters after every step, in both precisions.
  @Test(arguments: evaluationCases)
  func evaluationParametersMatchReference(_ c: FixtureCase) throws {
    let file = try Fixtures.load(EvaluationFile.self, from: "recent_rules.json")
    let entry = try #require(file.cases.first { $0.name == c.name })
    let want64 = try #require(entry.evaluation), want32 = try #require(entry.evaluation32)
    let got64 = try evaluations(c, Double.self), got32 = try evaluations(c, Float.self)
    #expect(got64.count == want64.count && got32.count == want32.count)
    let error64 = worst(got64, want64, floor: ReferenceFixtureTests.doubleFloor, tracksScale: false)
    let error32 = worst(got32, want32, floor: ReferenceFixtureTests.floatFloor, tracksScale: true)
    let (tolerance64, tolerance32) = Self.tolerances(c)
    #expect(error64 <= tolerance64, "\(c.name): float64 evaluation differs by \(error64)")
    #expect(error32 <= tolerance32, "\(c.name): float32 evaluation differs by \(error32)")
  }

  /// Runs the case in `S` (closed loop for Rosenbrock) and returns the
  /// evaluation parameters recorded after every step.
  func evaluations<S: ParameterScalar>(_ c: FixtureCase, _: S.Type) throws -> [[[Double]]] {
    let steps = Box()
    if c.kind == "rosenbrock" {
      var p = Tensor<S>(shape: c.shapes[0], scalars: c.initial[0].map { S($0) })
      let step = try makeRecentStepper(c, from: p) { steps.values.append($0) }
      for _ in 0..<c.trajectory.count {
        let x = p.scalars[0], y = p.scalars[1], r = y - x * x
        step(&p, Tensor([S(-2) * (S(1) - x) - S(400) * x * r, S(200) * r]))
      }
    } else {
      let gradients = try #require(c.gradients)
      func tensors(_ leaves: [[Double]]) -> [Tensor<S>] {
        zip(c.shapes, leaves).map { Tensor(shape: $0, scalars: $1.map { S($0) }) }
      }
      let start = tensors(c.initial)
      var model = AffineModel<S>(weight: start[0], bias: start[1])
      let step = try makeRecentStepper(c, from: model) { steps.values.append($0) }
      for g in gradients { step(&model, Tangent(leaves: tensors(g))) }
    }
    return steps.values
  }

  /// The largest |a − b| / max(|a|, |b|, floor), with the floor raised to the
  /// largest magnitude the reference element has had when `tracksScale` (as
  /// ``ReferenceFixtureTests/run(_:as:expected:floor:tracksScale:)``).
  func worst(_ got: [[[Double]]], _ want: [[[Double]]], floor: Double, tracksScale: Bool) -> Double {
    var worst = 0.0
    var scale = want.first.map { $0.map { $0.map { _ in 0.0 } } } ?? []
    for (step, leaves) in zip(got, want).map({ $0 }) {
      for leaf in leaves.indices {
        for i in leaves[leaf].indices {
          let a = step[leaf][i], b = leaves[leaf][i]
          if tracksScale { scale[leaf][i] = max(scale[leaf][i], abs(b)) }
          let difference = a == b ? 0 : abs(a - b) / max(abs(a), abs(b), floor, scale[leaf][i])
          worst = max(worst, a.isNaN || b.isNaN ? .infinity : difference)
        }
      }
    }
    return worst
  }

  final class Box: @unchecked Sendable {
    var values: [[[Double]]] = []
  }
}
