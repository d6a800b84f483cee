import Optimisers

// Rules that break one law each on purpose, so the law kit's tests can check
// that it catches them and shrinks the counterexample.

/// Plain SGD whose state keeps a running gradient sum in a shared class box:
/// the pure update writes into its *input* state. Breaks purity (and pure ==
/// in-place, since both runs share nothing but the box's arithmetic).
struct LeakyRule<Params: Differentiable>: Optimiser {
  final class Box: Codable, @unchecked Sendable {
    // Mutated on purpose to break value semantics; tests use it from one task.
    var total: Double
    init(total: Double) { self.total = total }
  }

  struct State: Codable, Sendable {
    var step: Int
    var box: Box
  }

  var learningRate = 0.1

  func initialState(for params: Params) -> State { State(step: 0, box: Box(total: 0)) }

  func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    let rate = S(learningRate)
    state.step += 1
    var sum = 0.0
    LeafWalk.forEachWholeLeaf(&params, gradient) { _, p, g in
      for i in 0..<p.count {
        p[i] -= rate * g[i]
        sum += Double(g[i])
      }
    }
    state.box.total += sum
  }

  func validate(_ state: State, for params: Params) throws(OptimiserError) {}
  func validateHyperparameters() throws(OptimiserError) {}
}

/// Momentum on a scalar accumulator that its `Codable` conformance forgets:
/// breaks resume-exactness only.
struct ForgetfulRule<Params: Differentiable>: Optimiser {
  struct State: Codable, Sendable {
    var step: Int
    var accumulator: Double

    init(step: Int, accumulator: Double) {
      self.step = step
      self.accumulator = accumulator
    }

    enum CodingKeys: String, CodingKey { case step }

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      step = try container.decode(Int.self, forKey: .step)
      accumulator = 0
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(step, forKey: .step)
    }
  }

  var learningRate = 0.1

  func initialState(for params: Params) -> State { State(step: 0, accumulator: 0) }

  func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    let rate = S(learningRate), carried = S(state.accumulator)
    state.step += 1
    LeafWalk.forEachLeaf(&params, gradient) { _, p, g in
      for i in 0..<p.count { p[i] -= rate * (g[i] + carried) }
    }
    state.accumulator = 0.5 * state.accumulator + 1
  }

  func validate(_ state: State, for params: Params) throws(OptimiserError) {}
  func validateHyperparameters() throws(OptimiserError) {}
}

/// SGD on the gradient divided by (1 + its global norm): couples the leaves.
struct CoupledRule<Params: Differentiable>: Optimiser {
  struct State: Codable, Sendable { var step: Int }

  var learningRate = 0.1

  func initialState(for params: Params) -> State { State(step: 0) }

  func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    let scale = S(learningRate) / (1 + gradient.euclideanNorm)
    state.step += 1
    LeafWalk.forEachLeaf(&params, gradient) { _, p, g in
      for i in 0..<p.count { p[i] -= scale * g[i] }
    }
  }

  func validate(_ state: State, for params: Params) throws(OptimiserError) {}
  func validateHyperparameters() throws(OptimiserError) {}
}

/// Decoupled weight decay without a gradient term, then SGD: moves on a zero
/// gradient (legitimately, for real weight decay) — and divides by the
/// parameter, so a zero parameter gives ∞ (not legitimate).
struct DecayingRule<Params: Differentiable>: Optimiser {
  struct State: Codable, Sendable { var step: Int }

  var learningRate = 0.1
  var divideByParameter = false

  func initialState(for params: Params) -> State { State(step: 0) }

  func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    let rate = S(learningRate), divide = divideByParameter
    state.step += 1
    LeafWalk.forEachLeaf(&params, gradient) { _, p, g in
      for i in 0..<p.count {
        let step = divide ? g[i] / p[i] : g[i]
        p[i] = p[i] * (1 - rate) - rate * step
      }
    }
  }

  func validate(_ state: State, for params: Params) throws(OptimiserError) {}
  func validateHyperparameters() throws(OptimiserError) {}
}

/// A correct custom rule: signSGD, p ← p − η·sign(g). The law kit's article
/// example.
struct SignDescent<Params: Differentiable>: Optimiser {
  struct State: Codable, Sendable, Equatable { var step: Int }

  var learningRate: Double

  init(learningRate: Double) { self.learningRate = learningRate }

  func initialState(for params: Params) -> State { State(step: 0) }

  func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    typealias S = Params.TangentVector.Scalar
    let rate = S(learningRate)
    state.step += 1
    LeafWalk.forEachLeaf(&params, gradient) { leaf, p, g in
      let map = map.forLeaf(leaf)
      for i in 0..<p.count {
        let gi = map.apply(g[i], parameter: p[i])
        p[i] -= gi > 0 ? rate : gi < 0 ? -rate : 0
      }
    }
  }

  func validate(_ state: State, for params: Params) throws(OptimiserError) {
    guard state.step >= 0 else { throw .invalidState("negative step") }
  }

  func validateHyperparameters() throws(OptimiserError) {}
}
