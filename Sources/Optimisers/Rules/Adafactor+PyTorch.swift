extension Adafactor {
  /// One leaf of `torch.optim.Adafactor`.
  @inlinable
  func pytorchStep<S: ParameterScalar, Map: GradientMap>(
    _ p: UnsafeMutableBufferPointer<S>, _ g: UnsafeBufferPointer<S>, _ map: Map, _ plan: Factoring?,
    _ rows: UnsafeMutableBufferPointer<S>, _ columns: UnsafeMutableBufferPointer<S>,
    _ full: UnsafeMutableBufferPointer<S>, step: Int
  ) {
    let t = Double(step), count = p.count
    let floor = S(epsilon1 ?? Double(S.ulpOfOne))
    let floorSquared = S((epsilon1 ?? Double(S.ulpOfOne)) * (epsilon1 ?? Double(S.ulpOfOne)))
    let weight = S(power(t, -decayRate))
    let relativeStep = Swift.min(learningRate ?? .infinity, 1 / t.squareRoot())
    var scale = 1.0
    if multiplyByParameterScale {
      var squares: S = 0
      for i in 0..<count { squares += p[i] * p[i] }
      scale = Swift.max(epsilon2, Double(S.squareRoot(of: squares)) / Double(count).squareRoot())
    }
    let alpha = scale * relativeStep
    let shrink = S(1 - (learningRate ?? 1) * weightDecay)
    var updateSquares: S = 0
    var normalisers: [S] = []
    if let plan {
      let sums = plan.sums(p, g, map, offset: 0)
      for r in 0..<rows.count {
        let norm = S.squareRoot(of: sums.rows[r])
        rows[r] = Self.lerp(rows[r], norm * norm / S(plan.columns), weight)
      }
      for c in 0..<columns.count {
        let norm = S.squareRoot(of: sums.columns[c])
        columns[c] = Self.lerp(columns[c], norm * norm / S(plan.rows), weight)
      }
      normalisers = plan.rowMeans(rows).map { Swift.max($0, floor) }
      plan.forEach { i, r, c in
        let gi = map.apply(g[i], parameter: p[i])
        let estimate = rows[r] * columns[c] / normalisers[r / plan.rows]
        let u = 1 / S.squareRoot(of: Swift.max(estimate, floorSquared)) * gi
        updateSquares += u * u
      }
    } else {
      for i in 0..<count {
        let gi = map.apply(g[i], parameter: p[i])
        full[i] = Self.lerp(full[i], gi * gi, weight)
        let u = 1 / S.squareRoot(of: Swift.max(full[i], floorSquared)) * gi
        updateSquares += u * u
      }
    }
    var denominator = 1.0
    if let clippingThreshold {
      denominator = Swift.max(1, Double(S.squareRoot(of: updateSquares)) / (Double(count).squareRoot() * clippingThreshold))
    }
    let coefficient = S(-alpha / denominator)
    if let plan {
      plan.forEach { i, r, c in
        let gi = map.apply(g[i], parameter: p[i])
        let estimate = rows[r] * columns[c] / normalisers[r / plan.rows]
        let u = 1 / S.squareRoot(of: Swift.max(estimate, floorSquared)) * gi
        p[i] = p[i] * shrink + coefficient * u
      }
    } else {
      for i in 0..<count {
        let gi = map.apply(g[i], parameter: p[i])
        let u = 1 / S.squareRoot(of: Swift.max(full[i], floorSquared)) * gi
        p[i] = p[i] * shrink + coefficient * u
      }
    }
  }
}
