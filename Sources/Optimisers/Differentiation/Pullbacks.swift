/// Tensor primitives that return their value together with a hand-written
/// pullback, the building blocks of reverse-mode gradients without compiler
/// support.
///
/// Each function returns `(value, pullback)`. The pullback takes the cotangent of
/// the value (∂L/∂value) and returns the cotangents of the inputs. Compose them by
/// calling the pullbacks in reverse order (see ``valueWithPullback(at:of:)``).
/// Every pullback is checked against central finite differences by a property
/// test over random shapes and values.
///
/// ## Mathematical properties
/// For a primitive *f* with Jacobian *J* at *x*, the pullback is *v* ↦ *Jᵀv*; the
/// pullback of a composition is the composition of pullbacks in reverse order.
///
/// - Complexity: Each pullback costs about as much as its forward function.
/// - References: Griewank and Walther, *Evaluating Derivatives*, 2nd ed., 2008;
///   Baydin et al., *Automatic Differentiation in Machine Learning: a Survey*, 2018.
public enum Pullbacks {
  /// `a + b`, where `b` has `a`'s shape, or is a vector added to every row of `a`
  /// (a bias), or is rank 0.
  ///
  /// The pullback returns (ḡ, ḡ) for equal shapes, and for a broadcast `b` the
  /// cotangent summed over the broadcast axes.
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public static func add<S: ParameterScalar>(
    _ a: Tensor<S>, _ b: Tensor<S>
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> (Tensor<S>, Tensor<S>)) {
    if a.shape == b.shape { return (a + b, { ($0, $0) }) }
    if b.rank == 0 { return (a + b, { ($0, Tensor(scalar: $0.sum())) }) }
    precondition(
      a.rank == 2 && b.rank == 1 && a.shape[1] == b.shape[0],
      "Pullbacks.add: shapes \(a.shape) and \(b.shape) do not match or broadcast")
    let rows = a.shape[0], columns = a.shape[1]
    var result = a
    result.withUnsafeMutableBufferPointer { r in
      b.withUnsafeBufferPointer { v in
        for i in 0..<rows { for j in 0..<columns { r[i * columns + j] += v[j] } }
      }
    }
    return (result, { cotangent in
      var db = Tensor<S>.zeros([columns])
      cotangent.withUnsafeBufferPointer { c in
        db.withUnsafeMutableBufferPointer { d in
          for i in 0..<rows { for j in 0..<columns { d[j] += c[i * columns + j] } }
        }
      }
      return (cotangent, db)
    })
  }

  /// `a − b` for equal shapes; the pullback returns (ḡ, −ḡ).
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public static func subtract<S: ParameterScalar>(
    _ a: Tensor<S>, _ b: Tensor<S>
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> (Tensor<S>, Tensor<S>)) {
    precondition(a.shape == b.shape, "Pullbacks.subtract: shapes \(a.shape) and \(b.shape) do not match")
    return (a - b, { ($0, -$0) })
  }

  /// The elementwise product `a ⊙ b`; the pullback returns (ḡ ⊙ b, ḡ ⊙ a).
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public static func multiply<S: ParameterScalar>(
    _ a: Tensor<S>, _ b: Tensor<S>
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> (Tensor<S>, Tensor<S>)) {
    precondition(a.shape == b.shape, "Pullbacks.multiply: shapes \(a.shape) and \(b.shape) do not match")
    return (a * b, { ($0 * b, $0 * a) })
  }

  /// The matrix–vector product *Wx*; the pullback returns (ḡ xᵀ, Wᵀ ḡ).
  ///
  /// - Complexity: O(*mn*).
  @inlinable
  public static func matvec<S: ParameterScalar>(
    _ w: Tensor<S>, _ x: Tensor<S>
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> (Tensor<S>, Tensor<S>)) {
    (w.matvec(x), { cotangent in
      (Tensor.outer(cotangent, x), w.transposed().matvec(cotangent))
    })
  }

  /// The matrix product *AB*; the pullback returns (Ḡ Bᵀ, Aᵀ Ḡ).
  ///
  /// - Complexity: O(*mkn*).
  @inlinable
  public static func matmul<S: ParameterScalar>(
    _ a: Tensor<S>, _ b: Tensor<S>
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> (Tensor<S>, Tensor<S>)) {
    (a.matmul(b), { cotangent in
      (cotangent.matmul(b.transposed()), a.transposedMatmul(cotangent))
    })
  }

  /// The transpose of a matrix; the pullback transposes the cotangent back.
  ///
  /// - Complexity: O(*mn*).
  @inlinable
  public static func transposed<S: ParameterScalar>(
    _ a: Tensor<S>
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> Tensor<S>) {
    (a.transposed(), { $0.transposed() })
  }

  /// The sum of all elements; the pullback spreads the scalar cotangent to every
  /// element.
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public static func sum<S: ParameterScalar>(
    _ a: Tensor<S>
  ) -> (value: S, pullback: (S) -> Tensor<S>) {
    let shape = a.shape
    return (a.sum(), { Tensor(repeating: $0, shape: shape) })
  }

  /// The mean of all elements; the pullback spreads ḡ / n to every element.
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public static func mean<S: ParameterScalar>(
    _ a: Tensor<S>
  ) -> (value: S, pullback: (S) -> Tensor<S>) {
    let shape = a.shape, count = S(a.scalarCount)
    return (a.mean(), { Tensor(repeating: $0 / count, shape: shape) })
  }

  /// Every element squared; the pullback returns 2 a ⊙ ḡ.
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public static func square<S: ParameterScalar>(
    _ a: Tensor<S>
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> Tensor<S>) {
    (a.squared(), { Tensor.zipWith($0, a, "square") { c, x in 2 * x * c } })
  }

  /// Σ aᵢ², the squared-error reduction; the pullback returns 2 ḡ a.
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public static func sumOfSquares<S: ParameterScalar>(
    _ a: Tensor<S>
  ) -> (value: S, pullback: (S) -> Tensor<S>) {
    (a.dot(a), { seed in a.map { 2 * seed * $0 } })
  }

  /// The logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ), elementwise; the pullback
  /// returns ḡ ⊙ σ(x)(1 − σ(x)).
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public static func sigmoid<S: ParameterScalar>(
    _ a: Tensor<S>
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> Tensor<S>) {
    let y = a.map { x in
      x >= 0 ? 1 / (1 + S.exp(-x)) : S.exp(x) / (1 + S.exp(x))
    }
    return (y, { Tensor.zipWith($0, y, "sigmoid") { c, s in c * s * (1 - s) } })
  }

  /// The hyperbolic tangent, elementwise; the pullback returns ḡ ⊙ (1 − tanh²x).
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public static func tanh<S: ParameterScalar>(
    _ a: Tensor<S>
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> Tensor<S>) {
    let y = a.map { S.tanh($0) }
    return (y, { Tensor.zipWith($0, y, "tanh") { c, t in c * (1 - t * t) } })
  }

  /// The rectifier max(x, 0), elementwise; the pullback passes ḡ where x > 0
  /// and 0 elsewhere (0 at x = 0, as PyTorch and JAX).
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public static func relu<S: ParameterScalar>(
    _ a: Tensor<S>
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> Tensor<S>) {
    (a.map { Swift.max($0, 0) }, { Tensor.zipWith($0, a, "relu") { c, x in x > 0 ? c : 0 } })
  }

  /// Calls `body` with each row (the last axis) of `target`, writable, and the
  /// same row of `source`, for the row-wise softmaxes and their pullbacks.
  @inlinable
  static func forEachRow<S: ParameterScalar>(
    of target: inout Tensor<S>, alongside source: Tensor<S>,
    _ body: (UnsafeMutableBufferPointer<S>, UnsafeBufferPointer<S>) -> Void
  ) {
    let columns = Swift.max(target.shape.last ?? 1, 1)
    let rows = target.scalarCount / columns
    source.withUnsafeBufferPointer { s in
      target.withUnsafeMutableBufferPointer { t in
        for r in 0..<rows {
          let range = (r * columns)..<((r + 1) * columns)
          body(UnsafeMutableBufferPointer(rebasing: t[range]), UnsafeBufferPointer(rebasing: s[range]))
        }
      }
    }
  }

  /// The softmax over the last axis (a vector, or each row of a matrix),
  /// computed stably as e^(x − max x) / Σ e^(x − max x); the pullback returns
  /// y ⊙ (ḡ − ⟨ḡ, y⟩) row by row.
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public static func softmax<S: ParameterScalar>(
    _ a: Tensor<S>
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> Tensor<S>) {
    precondition(a.rank == 1 || a.rank == 2, "Pullbacks.softmax: needs a vector or a matrix, shape is \(a.shape)")
    var y = a
    forEachRow(of: &y, alongside: a) { row, _ in
      let top = row.max() ?? 0
      var total: S = 0
      for j in row.indices { row[j] = S.exp(row[j] - top); total += row[j] }
      for j in row.indices { row[j] /= total }
    }
    return (y, { cotangent in
      var result = cotangent
      forEachRow(of: &result, alongside: y) { c, s in
        var inner: S = 0
        for j in c.indices { inner += c[j] * s[j] }
        for j in c.indices { c[j] = s[j] * (c[j] - inner) }
      }
      return result
    })
  }

  /// The mean cross-entropy of softmax probabilities against integer labels,
  /// computed from logits with log-softmax for stability:
  /// L = (1/B) Σ_b (log Σ_j e^{z_bj} − z_{b,y_b}).
  ///
  /// The pullback returns ḡ (softmax(z) − onehot(y)) / B.
  ///
  /// - Parameters:
  ///   - logits: A `[classes]` vector (B = 1) or a `[batch, classes]` matrix.
  ///   - labels: One class index per row.
  /// - Complexity: O(*n*).
  @inlinable
  public static func softmaxCrossEntropy<S: ParameterScalar>(
    logits: Tensor<S>, labels: [Int]
  ) -> (value: S, pullback: (S) -> Tensor<S>) {
    precondition(logits.rank == 1 || logits.rank == 2, "softmaxCrossEntropy: logits must be a vector or a matrix, shape is \(logits.shape)")
    let classes = logits.shape.last ?? 1
    let rows = logits.rank == 1 ? 1 : logits.shape[0]
    precondition(labels.count == rows, "softmaxCrossEntropy: \(rows) rows of logits but \(labels.count) labels")
    precondition(labels.allSatisfy { $0 >= 0 && $0 < classes }, "softmaxCrossEntropy: labels must be in 0..<\(classes)")
    var probabilities = logits
    var loss: S = 0
    probabilities.withUnsafeMutableBufferPointer { v in
      for r in 0..<rows {
        let row = UnsafeMutableBufferPointer(rebasing: v[(r * classes)..<((r + 1) * classes)])
        let top = row.max() ?? 0
        var total: S = 0
        for j in 0..<classes { total += S.exp(row[j] - top) }
        let logTotal = S.log(total) + top
        loss += logTotal - row[labels[r]]
        for j in 0..<classes { row[j] = S.exp(row[j] - logTotal) }
      }
    }
    let batch = S(rows)
    return (loss / batch, { seed in
      var result = probabilities
      result.withUnsafeMutableBufferPointer { p in
        for r in 0..<rows { p[r * classes + labels[r]] -= 1 }
        for i in 0..<p.count { p[i] *= seed / batch }
      }
      return result
    })
  }
}
