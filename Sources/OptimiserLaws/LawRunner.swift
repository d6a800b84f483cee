import Optimisers

/// Runs one law on one case for a given rule: builds the parameters and
/// gradients, performs the steps, and says what failed (or `nil`).
struct LawRunner<O: Optimiser> {
  typealias Scalar = O.Params.TangentVector.Scalar

  let optimiser: O
  let generator: ParameterGenerator<O.Params>
  let encode: (O.State) throws -> [UInt8]
  let decode: ([UInt8]) throws -> O.State

  // MARK: Building a case

  /// Parameters with the case's shapes and values, or a message when the
  /// generator built other shapes.
  func parameters(_ sample: Counterexample) -> Result<O.Params, GeneratorProblem> {
    var params = generator.make(sample.leafShapes)
    guard params.parameterLeafCount == sample.leafShapes.count else {
      return .failure(GeneratorProblem(
        message: "asked for \(sample.leafShapes.count) leaves, the generator built \(params.parameterLeafCount)"))
    }
    for (index, shape) in sample.leafShapes.enumerated() {
      let built = params.parameterLeafShape(at: index)
      guard built == shape else {
        return .failure(GeneratorProblem(message: "asked for leaf \(index) of shape \(shape), the generator built \(built)"))
      }
      let values = sample.parameters[index]
      params.withMutableParameterLeaf(at: index) { leaf in
        for i in 0..<min(leaf.count, values.count) { leaf[i] = Scalar(values[i]) }
      }
    }
    return .success(params)
  }

  /// A gradient for `params` with the given values per leaf.
  func gradient(for params: O.Params, _ values: [[Double]]) -> O.Params.TangentVector {
    var gradient = params.zeroTangentVector
    for index in 0..<gradient.leafCount {
      let leafValues = values[index]
      gradient.withMutableLeaf(at: index) { leaf in
        for i in 0..<min(leaf.count, leafValues.count) { leaf[i] = Scalar(leafValues[i]) }
      }
    }
    return gradient
  }

  /// The scalars of every leaf.
  func snapshot(_ params: O.Params) -> [[Scalar]] {
    (0..<params.parameterLeafCount).map { index in params.withParameterLeaf(at: index) { Array($0) } }
  }

  /// The scalars of every leaf of a tangent.
  func snapshot(_ tangent: O.Params.TangentVector) -> [[Scalar]] {
    (0..<tangent.leafCount).map { index in tangent.withLeaf(at: index) { Array($0) } }
  }

  static func sameBits(_ a: Scalar, _ b: Scalar) -> Bool {
    a.sign == b.sign && a.exponentBitPattern == b.exponentBitPattern
      && a.significandBitPattern == b.significandBitPattern
  }

  /// Where two snapshots first differ bitwise, as "leaf 'name' [i]: a vs b".
  func firstDifference(_ a: [[Scalar]], _ b: [[Scalar]], names params: O.Params, leaves: [Int]? = nil) -> String? {
    guard a.count == b.count else { return "\(a.count) leaves vs \(b.count)" }
    for leaf in leaves ?? Array(a.indices) {
      guard a[leaf].count == b[leaf].count else {
        return "leaf '\(params.parameterLeafName(at: leaf))' has \(a[leaf].count) scalars vs \(b[leaf].count)"
      }
      for i in a[leaf].indices where !Self.sameBits(a[leaf][i], b[leaf][i]) {
        return "leaf '\(params.parameterLeafName(at: leaf))' element \(i): \(a[leaf][i]) vs \(b[leaf][i])"
      }
    }
    return nil
  }

  func tree(_ state: O.State) -> Result<StateTree, GeneratorProblem> {
    do { return .success(try StateTree(encoding: state)) } catch {
      return .failure(GeneratorProblem(message: "the state cannot be encoded: \(error)"))
    }
  }

  /// `describe` of the two states' trees when they differ, a message when
  /// either cannot be encoded, or `nil` when they are the same.
  func stateDifference(_ a: O.State, _ b: O.State, _ describe: (StateTree, StateTree) -> String) -> String? {
    guard case .success(let treeA) = tree(a), case .success(let treeB) = tree(b) else {
      return "the state cannot be encoded"
    }
    return treeA == treeB ? nil : describe(treeA, treeB)
  }

  // MARK: The laws

  /// What `law` finds wrong with `sample`, or `nil` when it holds.
  func failure(of law: Law, on sample: Counterexample) -> String? {
    let params: O.Params
    switch parameters(sample) {
    case .success(let built): params = built
    case .failure(let problem): return "generator: \(problem.message)"
    }
    switch law {
    case .purity: return purity(params, sample)
    case .pureEqualsInPlace: return pureEqualsInPlace(params, sample)
    case .resumeExactness: return resumeExactness(params, sample)
    case .zeroGradientFixedPoint: return zeroGradient(params, sample)
    case .leafIndependence: return leafIndependence(sample)
    case .finiteOutputs: return finiteOutputs(params, sample)
    }
  }

  func purity(_ start: O.Params, _ sample: Counterexample) -> String? {
    var params = start
    var state = optimiser.initialState(for: params)
    for values in sample.gradients.dropLast() { optimiser.update(&state, &params, gradient(for: params, values)) }
    let gradient = gradient(for: params, sample.gradients.last ?? [])
    let paramsBefore = snapshot(params), gradientBefore = snapshot(gradient)
    guard case .success(let stateBefore) = tree(state) else { return "the state cannot be encoded" }

    let (state1, params1) = optimiser.update(state, params, gradient)
    let (state2, params2) = optimiser.update(state, params, gradient)

    if let where_ = firstDifference(paramsBefore, snapshot(params), names: params) {
      return "the pure update changed its input parameters: \(where_)"
    }
    if let where_ = firstDifference(gradientBefore, snapshot(gradient), names: params) {
      return "the update changed the gradient: \(where_)"
    }
    guard case .success(let stateAfter) = tree(state) else { return "the state cannot be encoded" }
    if stateAfter != stateBefore { return "the pure update changed its input state: \(stateBefore) became \(stateAfter)" }
    if let where_ = firstDifference(snapshot(params1), snapshot(params2), names: params) {
      return "the same inputs gave different parameters: \(where_)"
    }
    return stateDifference(state1, state2) { "the same inputs gave different states: \($0) vs \($1)" }
  }

  func pureEqualsInPlace(_ start: O.Params, _ sample: Counterexample) -> String? {
    var inPlace = start, pure = start
    var inPlaceState = optimiser.initialState(for: start), pureState = optimiser.initialState(for: start)
    for (step, values) in sample.gradients.enumerated() {
      let g = gradient(for: inPlace, values)
      optimiser.update(&inPlaceState, &inPlace, g)
      (pureState, pure) = optimiser.update(pureState, pure, g)
      if let where_ = firstDifference(snapshot(inPlace), snapshot(pure), names: start) {
        return "after step \(step + 1) the in-place and pure parameters differ: \(where_)"
      }
      if let difference = stateDifference(inPlaceState, pureState, {
        "after step \(step + 1) the in-place state \($0) differs from the pure state \($1)"
      }) { return difference }
    }
    return nil
  }

  func resumeExactness(_ start: O.Params, _ sample: Counterexample) -> String? {
    var reference = start
    var referenceState = optimiser.initialState(for: start)
    for values in sample.gradients { optimiser.update(&referenceState, &reference, gradient(for: reference, values)) }
    guard case .success(let referenceTree) = tree(referenceState) else { return "the state cannot be encoded" }

    for savedAt in 0..<sample.steps {
      var params = start
      var state = optimiser.initialState(for: start)
      for values in sample.gradients[..<savedAt] { optimiser.update(&state, &params, gradient(for: params, values)) }
      let restored: O.State
      do {
        restored = try decode(try encode(state))
      } catch {
        return "saving after step \(savedAt) and loading threw: \(error)"
      }
      if let difference = stateDifference(state, restored, {
        "saving after step \(savedAt) and loading changed the state: \($0) became \($1)"
      }) { return difference }
      state = restored
      for values in sample.gradients[savedAt...] { optimiser.update(&state, &params, gradient(for: params, values)) }
      if let where_ = firstDifference(snapshot(reference), snapshot(params), names: start) {
        return "resuming after step \(savedAt) gave other parameters than the uninterrupted run: \(where_)"
      }
      guard case .success(let final) = tree(state) else { return "the state cannot be encoded" }
      if final != referenceTree {
        return "resuming after step \(savedAt) gave the state \(final), the uninterrupted run \(referenceTree)"
      }
    }
    return nil
  }

  func zeroGradient(_ start: O.Params, _ sample: Counterexample) -> String? {
    var params = start
    var state = optimiser.initialState(for: start)
    let before = snapshot(start)
    for step in 0..<sample.steps {
      optimiser.update(&state, &params, start.zeroTangentVector)
      if let where_ = firstDifference(before, snapshot(params), names: start) {
        return "a zero gradient moved the parameters at step \(step + 1): \(where_)"
      }
    }
    return nil
  }

  /// The case with every leaf but `kept` changed (values 2v + 1, gradients
  /// −3g + 0.5).
  static func perturbed(_ sample: Counterexample, keeping kept: Int) -> Counterexample {
    var other = sample
    for leaf in other.parameters.indices where leaf != kept {
      other.parameters[leaf] = other.parameters[leaf].map { Double(Scalar(2 * $0 + 1)) }
      for step in other.gradients.indices {
        other.gradients[step][leaf] = other.gradients[step][leaf].map { Double(Scalar(-3 * $0 + 0.5)) }
      }
    }
    return other
  }

  func leafIndependence(_ sample: Counterexample) -> String? {
    guard sample.leafShapes.count >= 2 else { return nil }
    for kept in sample.leafShapes.indices {
      let other = Self.perturbed(sample, keeping: kept)
      guard case .success(var a) = parameters(sample), case .success(var b) = parameters(other) else {
        return "generator failed"
      }
      var stateA = optimiser.initialState(for: a), stateB = optimiser.initialState(for: b)
      for (step, values) in sample.gradients.enumerated() {
        optimiser.update(&stateA, &a, gradient(for: a, values))
        optimiser.update(&stateB, &b, gradient(for: b, other.gradients[step]))
        if let where_ = firstDifference(snapshot(a), snapshot(b), names: a, leaves: [kept]) {
          return "after step \(step + 1) leaf '\(a.parameterLeafName(at: kept))' depends on the other leaves: \(where_) when only the other leaves' values and gradients changed"
        }
      }
    }
    return nil
  }

  func finiteOutputs(_ start: O.Params, _ sample: Counterexample) -> String? {
    var params = start
    var state = optimiser.initialState(for: start)
    for (step, values) in sample.gradients.enumerated() {
      optimiser.update(&state, &params, gradient(for: params, values))
      for (leaf, scalars) in snapshot(params).enumerated() {
        if let i = scalars.firstIndex(where: { !$0.isFinite }) {
          return "after step \(step + 1) leaf '\(start.parameterLeafName(at: leaf))' element \(i) is \(scalars[i])"
        }
      }
      guard case .success(let stateTree) = tree(state) else { return "the state cannot be encoded" }
      if stateTree.containsNonFinite { return "after step \(step + 1) the state holds a non-finite value: \(stateTree)" }
    }
    return nil
  }
}

/// The generator built parameters of other shapes than requested, or a state
/// could not be encoded.
struct GeneratorProblem: Error {
  let message: String
}
