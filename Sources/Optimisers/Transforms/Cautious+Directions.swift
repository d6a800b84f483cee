extension Cautious {
  /// The exact path for a base that exposes its directions
  /// (``DirectionExposingRule``): the base's kernels record d and η instead of
  /// moving p, then each leaf's agreeing directions are scaled and applied,
  /// p ← p − η(d·s), as `pytorch_optimizer`'s `apply_cautious` followed by
  /// `p.add_(update, alpha=-lr)`. Returns false (nothing done) when `rule`'s
  /// types are not this wrapper's.
  ///
  /// - Complexity: O(*n*): the base's pass, then a counting pass and an
  ///   applying pass per leaf on the calling thread; one recorded direction per
  ///   parameter.
  @inlinable
  func maskRecordedDirections<Rule: DirectionExposingRule, Map: GradientMap>(
    of rule: Rule, _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) -> Bool {
    guard Rule.State.self == State.self, Rule.Params.self == Params.self else { return false }
    typealias S = Params.TangentVector.Scalar
    let counts = (0..<params.parameterLeafCount).map { leaf in params.withParameterLeaf(at: leaf) { $0.count } }
    let recorder = DirectionRecorder<S>(leafCounts: counts)
    // The types are equal (checked above): the casts and rebindings are identities.
    withUnsafeMutablePointer(to: &state) { state in
      withUnsafeMutablePointer(to: &params) { params in
        state.withMemoryRebound(to: Rule.State.self, capacity: 1) { state in
          params.withMemoryRebound(to: Rule.Params.self, capacity: 1) { params in
            rule.recordDirections(
              &state.pointee, &params.pointee, unsafeBitCast(gradient, to: Rule.Params.TangentVector.self),
              preprocessing: map, into: unsafeDowncast(recorder, to: DirectionRecorder<Rule.Scalar>.self))
          }
        }
      }
    }
    for leaf in counts.indices {
      let leafMap = map.forLeaf(leaf), d = recorder.directions(ofLeaf: leaf), rate = recorder.rate(ofLeaf: leaf)
      gradient.withLeaf(at: leaf) { g in
        params.withMutableParameterLeaf(at: leaf) { p in
          maskLeaf(
            p.count, rate: rate, direction: { d[$0] }, gradient: { leafMap.apply(g[$0], parameter: p[$0]) },
            start: { p[$0] }, result: { p[$0] = $1 })
        }
      }
    }
    return true
  }
}
