import Foundation
import Optimisers
import Testing

/// Law checks shared by the composition tests: purity, pure == in place,
/// Codable resume, and bitwise trajectory comparison.
enum WrapperLaws {
  /// Seeded random gradients shaped like `params`, one per step.
  static func gradients<P: Differentiable>(for params: P, steps: Int, seed: UInt64, scale: Double = 1) -> [P.TangentVector] {
    var generator = SplitMix64(seed: seed)
    return (0..<steps).map { _ in
      var g = params.zeroTangentVector
      for leaf in 0..<g.leafCount {
        g.withMutableLeaf(at: leaf) { buffer in
          for i in 0..<buffer.count {
            buffer[i] = P.TangentVector.Scalar(scale * generator.nextStandardNormal())
          }
        }
      }
      return g
    }
  }

  /// The parameters after each step, in place.
  static func trajectory<O: Optimiser>(
    _ optimiser: O, from params: O.Params, _ gradients: [O.Params.TangentVector]
  ) -> (params: [O.Params], state: O.State) {
    var p = params
    var s = optimiser.initialState(for: params)
    var result: [O.Params] = []
    for g in gradients {
      optimiser.update(&s, &p, g)
      result.append(p)
    }
    return (result, s)
  }

  /// Whether two trajectories agree bit for bit.
  static func bitwiseEqual<P: Differentiable>(_ a: [P], _ b: [P]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.parametersBitwiseEqual($1) }
  }

  /// JSON of a state, with sorted keys, for byte comparison.
  static func encoded<S: Encodable>(_ state: S) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(state)
  }

  /// Checks purity (the pure form leaves its inputs alone), pure == in place
  /// (bitwise, parameters and state), and Codable resume (encode and decode the
  /// state mid-run, then continue: bitwise equal to the uninterrupted run).
  static func check<O: Optimiser>(
    _ optimiser: O, from params: O.Params, _ gradients: [O.Params.TangentVector], label: String
  ) throws {
    // Purity.
    let state0 = optimiser.initialState(for: params)
    var p = params
    var s = state0
    for g in gradients.prefix(2) { optimiser.update(&s, &p, g) }
    let stateBefore = try encoded(s)
    let paramsBefore = p
    let (nextState, nextParams) = optimiser.update(s, p, gradients[2])
    #expect(try encoded(s) == stateBefore, "\(label): pure update changed its input state")
    #expect(p.parametersBitwiseEqual(paramsBefore), "\(label): pure update changed its input parameters")

    // Pure == in place.
    var inPlaceState = s
    var inPlaceParams = p
    optimiser.update(&inPlaceState, &inPlaceParams, gradients[2])
    #expect(inPlaceParams.parametersBitwiseEqual(nextParams), "\(label): pure and in-place parameters differ")
    #expect(try encoded(inPlaceState) == encoded(nextState), "\(label): pure and in-place states differ")
    var pureState = optimiser.initialState(for: params)
    var pureParams = params
    for g in gradients { (pureState, pureParams) = optimiser.update(consume pureState, consume pureParams, g) }
    let (inPlace, finalState) = trajectory(optimiser, from: params, gradients)
    #expect(pureParams.parametersBitwiseEqual(inPlace.last!), "\(label): consumed pure run differs from in place")
    #expect(try encoded(pureState) == encoded(finalState), "\(label): consumed pure state differs")

    // Codable resume at every split point.
    for split in 1..<gradients.count {
      var rs = optimiser.initialState(for: params)
      var rp = params
      for g in gradients[..<split] { optimiser.update(&rs, &rp, g) }
      var restored = try JSONDecoder().decode(O.State.self, from: encoded(rs))
      try optimiser.validate(restored, for: rp)
      for g in gradients[split...] { optimiser.update(&restored, &rp, g) }
      #expect(rp.parametersBitwiseEqual(inPlace.last!), "\(label): resume after \(split) steps differs")
      #expect(try encoded(restored) == encoded(finalState), "\(label): resumed state after \(split) steps differs")
    }
  }
}

/// A test model: weight [3, 2], bias [3], generic over the scalar.
func affine<S: ParameterScalar>(_ type: S.Type = S.self, seed: UInt64 = 1) -> AffineModel<S> {
  AffineModel(weight: Tensor(randomNormal: [3, 2], seed: seed), bias: Tensor(randomNormal: [3], seed: seed &+ 100))
}

/// A test model with a nested struct, a scalar leaf and a vector leaf.
func nested(seed: UInt64 = 1) -> NestedModel {
  NestedModel(
    inner: AffineModel(weight: Tensor(randomNormal: [2, 3], seed: seed), bias: Tensor(randomNormal: [2], seed: seed &+ 1)),
    scale: 0.5, extra: Tensor(randomNormal: [4], seed: seed &+ 2))
}

/// A non-fusing transform for tests: replaces each element by its sign
/// (signSGD's direction), through `transform`.
struct SignTransform: GradientTransform {
  typealias State = NoState
  typealias Map = IdentityGradientMap
  static var fusesIntoRule: Bool { false }
  func transform<Params: Differentiable>(_ state: inout NoState, _ gradient: inout Params.TangentVector, _ params: Params) {
    if gradient.leafCount == 0 { gradient = params.zeroTangentVector }
    for leaf in 0..<gradient.leafCount {
      gradient.withMutableLeaf(at: leaf) { g in
        for i in 0..<g.count { g[i] = g[i] > 0 ? 1 : (g[i] < 0 ? -1 : 0) }
      }
    }
  }
  func validateHyperparameters() throws(OptimiserError) {}
}

/// A stateful, non-fusing transform for tests: counts its calls in its state
/// and scales the gradient by 1 / (calls).
struct CountingScale: GradientTransform {
  struct State: Codable, Sendable, Equatable { var calls = 0 }
  typealias Map = IdentityGradientMap
  static var fusesIntoRule: Bool { false }
  func initialState<Params: Differentiable>(for params: Params) -> State { State() }
  func transform<Params: Differentiable>(_ state: inout State, _ gradient: inout Params.TangentVector, _ params: Params) {
    state.calls += 1
    let factor = Params.TangentVector.Scalar(1) / Params.TangentVector.Scalar(state.calls)
    if gradient.leafCount == 0 { gradient = params.zeroTangentVector }
    for leaf in 0..<gradient.leafCount {
      gradient.withMutableLeaf(at: leaf) { g in for i in 0..<g.count { g[i] *= factor } }
    }
  }
  func validate<Params: Differentiable>(_ state: State, for params: Params) throws(OptimiserError) {
    guard state.calls >= 0 else { throw .invalidState("negative calls") }
  }
  func validateHyperparameters() throws(OptimiserError) {}
}
