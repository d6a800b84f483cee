extension MARS {
  /// The `.shampoo` form's second pass, on each leaf marked in `leaves` (MARS
  /// leaves of rank ≥ 2, whose m the first pass has updated): with the leaf
  /// viewed as an n₀ × (n/n₀) matrix,
  ///
  ///     u = NS₅(m · (1/(1 − β₁))) · √max(1, n₀/n₁)
  ///     p ← p(1 − ηλ) − η·u
  ///
  /// as `pytorch_optimizer.MARS.optimize_mixed` with `mars_type="shampoo"`
  /// (`zero_power_via_newton_schulz_5(update.mul_(1/(1 − β₁)), eps=ε)`: five
  /// steps of (3.4445, −4.7750, 2.0315) after dividing by max(‖·‖_F, ε), a
  /// tall matrix transposed first), then the decay and the step of its `step`
  /// (u · √max(1, n₀/n₁) handed to `sink` at rate η).
  ///
  /// - Complexity: O(5 · r²c) per leaf through the blocked matrix product,
  ///   with r ≤ c the matrix's smaller and larger sides; one leaf-sized
  ///   scratch copy, on the calling thread (the product may use threads).
  @inlinable
  func orthogonalisedSteps<Map: GradientMap, Sink: DirectionSink>(
    _ walk: Walk<Params, State, Map>, on leaves: [Bool], _ q: MARSCoefficients<Scalar>, handing sink: Sink
  ) where Sink.Scalar == Scalar {
    let scale = Scalar(1 / (1 - beta1)), epsilon = self.epsilon
    walk.wholeLeaves { b in
      guard leaves[b.leaf], b.count > 0 else { return }
      let shape = walk.shape(ofLeaf: b.leaf)
      let factor = Scalar(Swift.max(1, Double(shape[0]) / Double(shape[1])).squareRoot())
      let u = UnsafeMutablePointer<Scalar>.allocate(capacity: b.count)
      defer { u.deallocate() }
      let m = b[0]
      for i in b.indices { u[i] = m[i] * scale }
      NewtonSchulz<Scalar>.orthogonalise(
        u, rows: shape[0], columns: b.count / shape[0], coefficients: (3.4445, -4.7750, 2.0315), steps: 5,
        epsilon: epsilon, epsilonAddedToNorm: false)
      for i in b.indices {
        b.p[i] *= q.shrink
        sink.take(u[i] * factor, rate: -q.negativeRate, at: i, of: b)
      }
    }
  }
}
