// The parts read from JSON through generic visitors, as a client without a
// type-erased schedule has to: each part may be one of three kinds, so the
// training loop is specialised for 3 × 3 × 3 nested Followed types.
import Foundation
import Optimisers
import Shared

struct Part: Decodable {
  var kind: String
  var initial: Double?
  var end: Double?
  var transitionSteps: Int?
  var value: Double?
  var decaySteps: Int?
  var alpha: Double?
}

struct Configuration: Decodable {
  var boundaries: [Int]
  var parts: [Part]
}

protocol ScheduleVisitor {
  func visit<S: Schedule>(_ schedule: S)
}

/// Calls `visitor` with the part's concrete schedule.
func open(_ part: Part, _ visitor: some ScheduleVisitor) {
  switch part.kind {
  case "linearSchedule":
    visitor.visit(LinearSchedule(initial: part.initial ?? 0, end: part.end ?? 0, transitionSteps: part.transitionSteps ?? 1))
  case "constant":
    visitor.visit(Constant(value: part.value ?? 0))
  default:
    visitor.visit(CosineDecay(initial: part.initial ?? 0, decaySteps: part.decaySteps ?? 1, alpha: part.alpha ?? 0))
  }
}

struct Third<A: Schedule, B: Schedule>: ScheduleVisitor {
  var a: A, b: B, boundaries: [Int]
  func visit<C: Schedule>(_ c: C) {
    let schedule = Followed(a, Followed(b, c, at: boundaries[1] - boundaries[0]), at: boundaries[0])
    train("Visitor", Scheduled(Adam<Model>(), \.learningRate, by: schedule))
  }
}

struct Second<A: Schedule>: ScheduleVisitor {
  var a: A, configuration: Configuration
  func visit<B: Schedule>(_ b: B) {
    open(configuration.parts[2], Third(a: a, b: b, boundaries: configuration.boundaries))
  }
}

struct First: ScheduleVisitor {
  var configuration: Configuration
  func visit<A: Schedule>(_ a: A) {
    open(configuration.parts[1], Second(a: a, configuration: configuration))
  }
}

let parsed = try JSONDecoder().decode(Configuration.self, from: Data(configuration.utf8))
open(parsed.parts[0], First(configuration: parsed))
