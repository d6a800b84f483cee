import Optimisers

/// The flattened parameters after each step of one run, and the final state;
/// what the semantic laws compare.
struct Trajectory<O: Optimiser> {
  typealias Scalar = O.Params.TangentVector.Scalar
  var start: [Scalar]
  var steps: [[Scalar]] = []
  var state: O.State
  var params: O.Params

  /// Runs `optimiser` from `params` on `gradients`.
  init(_ optimiser: O, from params: O.Params, _ gradients: [O.Params.TangentVector]) {
    self.params = params
    self.start = params.flattenedParameters
    self.state = optimiser.initialState(for: params)
    for gradient in gradients {
      optimiser.update(&state, &self.params, gradient)
      steps.append(self.params.flattenedParameters)
    }
  }

  var final: [Scalar] { steps.last ?? start }

  /// The first step and coordinate where `self` and `other` (mapped through
  /// `expected`, which turns other's displacement into the one expected here)
  /// disagree beyond `tolerance`.
  func firstDisagreement(
    with other: [[Scalar]], tolerance: Tolerance, expected: ((Double) -> Double)? = nil
  ) -> String? {
    // The largest magnitude each coordinate has had in either run: the
    // rounding of p − Δ at that magnitude is carried into later steps.
    var largest = start.map(\.magnitude)
    for (step, (mine, theirs)) in zip(steps, other).enumerated() {
      for i in mine.indices where i < theirs.count {
        largest[i] = Swift.max(largest[i], mine[i].magnitude, theirs[i].magnitude)
        let target = expected.map { Scalar(Double(start[i]) + $0(Double(theirs[i]) - Double(start[i]))) } ?? theirs[i]
        if !tolerance.accepts(mine[i], target, from: start[i], magnitude: largest[i]) {
          return "after step \(step + 1), coordinate \(i): \(mine[i]) vs \(target) (tolerance \(tolerance))"
        }
      }
    }
    return nil
  }
}

extension VectorSpace {
  /// A copy with every scalar replaced by `transform(value, flat index)`.
  func mapScalars(_ transform: (Scalar, Int) -> Scalar) -> Self {
    var result = self
    var offset = 0
    for leaf in 0..<leafCount {
      result.withMutableLeaf(at: leaf) { buffer in
        for i in 0..<buffer.count { buffer[i] = transform(buffer[i], offset + i) }
        offset += buffer.count
      }
    }
    return result
  }
}
