extension Pullbacks {
  /// The log-softmax over the last axis (a vector, or each row of a matrix):
  /// yⱼ = xⱼ − m − log Σₖ e^(xₖ − m) with m = maxₖ xₖ, so no exponential
  /// overflows.
  ///
  /// The pullback returns ḡ − softmax(x) Σⱼ ḡⱼ, row by row. Matches
  /// `torch.nn.functional.log_softmax(x, dim=-1)` and `jax.nn.log_softmax`.
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public static func logSoftmax<S: ParameterScalar>(
    _ a: Tensor<S>
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> Tensor<S>) {
    precondition(a.rank == 1 || a.rank == 2, "Pullbacks.logSoftmax: needs a vector or a matrix, shape is \(a.shape)")
    var y = a
    forEachRow(of: &y, alongside: a) { row, _ in
      let top = row.max() ?? 0
      var total: S = 0
      for j in row.indices { total += S.exp(row[j] - top) }
      let shift = top + S.log(total)
      for j in row.indices { row[j] -= shift }
    }
    return (y, { cotangent in
      precondition(cotangent.shape == y.shape, "Pullbacks.logSoftmax: cotangent shape \(cotangent.shape) ≠ \(y.shape)")
      var result = cotangent
      forEachRow(of: &result, alongside: y) { c, logp in
        var total: S = 0
        for j in c.indices { total += c[j] }
        for j in c.indices { c[j] -= S.exp(logp[j]) * total }
      }
      return result
    })
  }

  /// The mean negative log-likelihood of integer labels under log-probabilities:
  /// L = −(1/B) Σ_b ℓ_{b, y_b}, where ℓ is a `[B, classes]` matrix (or a
  /// `[classes]` vector, B = 1), usually the output of ``logSoftmax(_:)``.
  ///
  /// The pullback puts −ḡ/B at each row's label and 0 elsewhere. Matches
  /// `torch.nn.functional.nll_loss(ℓ, y)` (reduction `"mean"`, no weights);
  /// `nll_loss(log_softmax(z), y)` equals ``softmaxCrossEntropy(logits:labels:)``.
  ///
  /// - Parameters:
  ///   - logProbabilities: ℓ, one row of class log-probabilities per example.
  ///   - labels: One class index per row, each in `0..<classes`.
  /// - Complexity: O(*B*) for the value, O(*n*) for the pullback.
  @inlinable
  public static func negativeLogLikelihood<S: ParameterScalar>(
    logProbabilities: Tensor<S>, labels: [Int]
  ) -> (value: S, pullback: (S) -> Tensor<S>) {
    let l = logProbabilities
    precondition(l.rank == 1 || l.rank == 2, "negativeLogLikelihood: needs a vector or a matrix, shape is \(l.shape)")
    let classes = l.shape.last ?? 1
    let rows = l.rank == 1 ? 1 : l.shape[0]
    precondition(labels.count == rows, "negativeLogLikelihood: \(rows) rows but \(labels.count) labels")
    precondition(labels.allSatisfy { $0 >= 0 && $0 < classes }, "negativeLogLikelihood: labels must be in 0..<\(classes)")
    var total: S = 0
    l.withUnsafeBufferPointer { p in
      for r in 0..<rows { total -= p[r * classes + labels[r]] }
    }
    let batch = S(rows), shape = l.shape
    return (total / batch, { seed in
      var result = Tensor<S>.zeros(shape)
      result.withUnsafeMutableBufferPointer { g in
        for r in 0..<rows { g[r * classes + labels[r]] -= seed / batch }
      }
      return result
    })
  }

  /// The mean squared error L = (1/n) Σᵢ (aᵢ − bᵢ)² over all n elements of two
  /// tensors of equal shape.
  ///
  /// The pullback returns (2ḡ(a − b)/n, −2ḡ(a − b)/n). Matches
  /// `torch.nn.functional.mse_loss(a, b)` (reduction `"mean"`).
  ///
  /// - Precondition: The shapes agree and the tensors are not empty.
  /// - Complexity: O(*n*).
  @inlinable
  public static func meanSquaredError<S: ParameterScalar>(
    _ a: Tensor<S>, _ b: Tensor<S>
  ) -> (value: S, pullback: (S) -> (Tensor<S>, Tensor<S>)) {
    precondition(a.shape == b.shape, "Pullbacks.meanSquaredError: shapes \(a.shape) and \(b.shape) do not match")
    precondition(a.scalarCount > 0, "Pullbacks.meanSquaredError: the tensors are empty")
    let residual = a - b, count = S(a.scalarCount)
    return (residual.dot(residual) / count, { seed in
      let da = residual.map { 2 * seed * $0 / count }
      return (da, -da)
    })
  }
}
