extension Adafactor {
  /// One leaf of `optax.adafactor`.
  @inlinable
  func optaxStep<S: ParameterScalar, Map: GradientMap>(
    _ p: UnsafeMutableBufferPointer<S>, _ g: UnsafeBufferPointer<S>, _ map: Map, _ plan: Factoring?,
    _ rows: UnsafeMutableBufferPointer<S>, _ columns: UnsafeMutableBufferPointer<S>,
    _ full: UnsafeMutableBufferPointer<S>, _ m: UnsafeMutableBufferPointer<S>?, step: Int
  ) {
    let count = p.count
    // optax evaluates the schedule in single precision: t = float32(step − offset),
    // β̂ = 1 − t^(−decayRate) with the exponent rounded to float32 too. Steps
    // before the offset (where optax's t ≤ 0 gives NaN) use t = 1.
    let t = Float(Swift.max(step - decayOffset, 1))
    let decay: Float = 1 - Float(power(Double(t), Double(Float(-decayRate))))
    let keep = S(decay), mix = S(1 - decay)
    let offset = S(epsilon1 ?? 1e-30)
    var rowFactors: [S] = [], columnFactors: [S] = []
    if let plan {
      let sums = factoredSums(p, g, map, plan, offset: offset)
      for r in 0..<rows.count { rows[r] = keep * rows[r] + mix * (sums.rows[r] / S(plan.columns)) }
      for c in 0..<columns.count { columns[c] = keep * columns[c] + mix * (sums.columns[c] / S(plan.rows)) }
      let means = rowMeans(rows, plan)
      rowFactors = (0..<rows.count).map { 1 / S.squareRoot(of: rows[$0] / means[$0 / plan.rows]) }
      columnFactors = (0..<columns.count).map { 1 / S.squareRoot(of: columns[$0]) }
    } else {
      for i in 0..<count {
        let gi = map.apply(g[i], parameter: p[i])
        full[i] = keep * full[i] + mix * (gi * gi + offset)
      }
    }
    // The scaled update of element i, before clipping.
    func direction(_ i: Int, _ r: Int, _ c: Int) -> S {
      let gi = map.apply(g[i], parameter: p[i])
      return plan == nil ? gi * (1 / S.squareRoot(of: full[i])) : gi * rowFactors[r] * columnFactors[c]
    }
    func forEachElement(_ body: (Int, Int, Int) -> Void) {
      if let plan { plan.forEach(body) } else { for i in 0..<count { body(i, 0, 0) } }
    }
    var clip: S = 1
    if let clippingThreshold {
      var squares: S = 0
      forEachElement { i, r, c in
        let u = direction(i, r, c)
        squares += u * u
      }
      clip = Swift.max(1, S.squareRoot(of: squares / S(count)) / S(clippingThreshold))
    }
    var parameterScale: S = 1
    if multiplyByParameterScale {
      var squares: S = 0
      for i in 0..<count { squares += p[i] * p[i] }
      let rms = S.squareRoot(of: squares / S(count))
      parameterScale = rms <= S(epsilon2) ? S(epsilon2) : rms
    }
    let rate = learningRate.map { S($0) }
    let beta = momentum.map { S($0) } ?? 0, keepBeta = momentum.map { S(1 - $0) } ?? 1
    let decayWeight = S(weightDecay)
    forEachElement { i, r, c in
      var u = direction(i, r, c) / clip
      if let rate { u = u * rate }
      if multiplyByParameterScale { u = u * parameterScale }
      if let m {
        u = keepBeta * u + beta * m[i]
        m[i] = u
      }
      p[i] -= u + decayWeight * p[i]
    }
  }
}
