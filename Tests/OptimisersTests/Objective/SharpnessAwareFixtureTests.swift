import Foundation
import Optimisers
import Testing

/// `Tests/Fixtures/sam.json`: optax.contrib.sam runs in opaque mode.
struct SharpnessAwareFixture: Decodable, Sendable {
  struct Parameters: Decodable, Sendable {
    let rule: String
    let learningRate: Double
    let radius: Double
    let ascentSteps: Int
    /// η of adaptive SAM; absent for plain SAM.
    let adaptiveOffset: Double?
  }

  struct Case: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let problem: String
    let reference: String
    let parameters: Parameters
    let trajectory: [[Double]]
    var testDescription: String { name }
  }

  let cases: [Case]

  static let shared: SharpnessAwareFixture = {
    do { return try Fixtures.load(SharpnessAwareFixture.self, from: "sam.json") } catch {
      fatalError("cannot read sam.json: \(error)")
    }
  }()
}

@Suite("SharpnessAware against optax.contrib.sam")
struct SharpnessAwareFixtureTests {
  /// Runs `sam` from the case's start and returns the worst relative error.
  func worstError<Rule: Optimiser>(_ sam: SharpnessAware<Rule>, _ fixture: SharpnessAwareFixture.Case) throws -> Double
  where Rule.Params == Tensor<Double> {
    let (objective, initial) = LBFGSFixture.shared.problem(fixture.problem)
    var x = Tensor(initial)
    var state = sam.initialState(for: x)
    var worst = 0.0
    for expected in fixture.trajectory {
      let report = try sam.step(&state, &x, objective: objective)
      #expect(report.evaluations == fixture.parameters.ascentSteps + 1)
      for (a, b) in zip(x.scalars, expected) { worst = max(worst, relativeDifference(a, b)) }
    }
    return worst
  }

  @Test("every iterate within 1e-10 relative", arguments: SharpnessAwareFixture.shared.cases)
  func matchesOptax(_ fixture: SharpnessAwareFixture.Case) throws {
    let p = fixture.parameters
    let worst: Double
    let adaptive = p.adaptiveOffset != nil, offset = p.adaptiveOffset ?? 0.01
    switch p.rule {
    case "SGD":
      worst = try worstError(
        SharpnessAware(
          SGD<Tensor<Double>>(learningRate: p.learningRate), radius: p.radius, adaptive: adaptive,
          adaptiveOffset: offset, ascentSteps: p.ascentSteps),
        fixture)
    case "Adam":
      worst = try worstError(
        SharpnessAware(
          Adam<Tensor<Double>>(learningRate: p.learningRate), radius: p.radius, adaptive: adaptive,
          adaptiveOffset: offset, ascentSteps: p.ascentSteps),
        fixture)
    default:
      Issue.record("unknown rule \(p.rule)")
      return
    }
    #expect(worst <= 1e-10, "\(fixture.name): worst relative error \(worst)")
  }
}
