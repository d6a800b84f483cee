extension Pullbacks {
  /// Layer normalisation over the last axis with an elementwise affine map:
  /// yᵢ = γᵢ x̂ᵢ + βᵢ, x̂ = (x − μ) / √(σ² + ε), where μ and σ² are the mean and
  /// the biased variance (divided by D) of each row of D features.
  ///
  /// With s = √(σ² + ε) and ĝ = ḡ ⊙ γ, the pullback returns, per row,
  /// ∂x = (ĝ − mean(ĝ) − x̂ mean(ĝ ⊙ x̂)) / s, and ∂γ = Σ_rows ḡ ⊙ x̂,
  /// ∂β = Σ_rows ḡ. Matches `torch.nn.functional.layer_norm(x, (D,), γ, β, eps)`.
  ///
  /// - Parameters:
  ///   - a: A `[D]` vector or a `[rows, D]` matrix.
  ///   - scale: γ, shape `[D]` (initialise to ones).
  ///   - offset: β, shape `[D]` (initialise to zeros).
  ///   - epsilon: ε, added to the variance inside the square root; default
  ///     10⁻⁵, PyTorch's.
  /// - Returns: The value and a pullback to (∂a, ∂γ, ∂β).
  /// - Complexity: O(*n*).
  /// - References: Ba, Kiros and Hinton, *Layer Normalization*, 2016.
  @inlinable
  public static func layerNormalisation<S: ParameterScalar>(
    _ a: Tensor<S>, scale: Tensor<S>, offset: Tensor<S>, epsilon: S = 1e-5
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> (Tensor<S>, Tensor<S>, Tensor<S>)) {
    precondition(a.rank == 1 || a.rank == 2, "Pullbacks.layerNormalisation: needs a vector or a matrix, shape is \(a.shape)")
    let features = a.shape.last ?? 1
    precondition(features > 0, "Pullbacks.layerNormalisation: rows have no features")
    precondition(scale.shape == [features] && offset.shape == [features],
                 "Pullbacks.layerNormalisation: scale \(scale.shape) and offset \(offset.shape) must be [\(features)]")
    let rows = a.scalarCount / features, d = S(features)
    var normalised = a
    var inverseDeviations = [S](repeating: 0, count: rows)
    normalised.withUnsafeMutableBufferPointer { x in
      for r in 0..<rows {
        let base = r * features
        var mean: S = 0
        for j in 0..<features { mean += x[base + j] }
        mean /= d
        var variance: S = 0
        for j in 0..<features { let e = x[base + j] - mean; variance += e * e }
        variance /= d
        let inverse = 1 / S.squareRoot(of: variance + epsilon)
        inverseDeviations[r] = inverse
        for j in 0..<features { x[base + j] = (x[base + j] - mean) * inverse }
      }
    }
    var y = normalised
    y.withUnsafeMutableBufferPointer { v in
      scale.withUnsafeBufferPointer { g in
        offset.withUnsafeBufferPointer { b in
          for r in 0..<rows { for j in 0..<features { v[r * features + j] = g[j] * v[r * features + j] + b[j] } }
        }
      }
    }
    return (y, { cotangent in
      precondition(cotangent.shape == a.shape, "Pullbacks.layerNormalisation: cotangent shape \(cotangent.shape) ≠ \(a.shape)")
      var dx = cotangent
      var dScale = Tensor<S>.zeros([features]), dOffset = Tensor<S>.zeros([features])
      dx.withUnsafeMutableBufferPointer { c in
        normalised.withUnsafeBufferPointer { xh in
          scale.withUnsafeBufferPointer { g in
            dScale.withUnsafeMutableBufferPointer { ds in
              dOffset.withUnsafeMutableBufferPointer { db in
                for r in 0..<rows {
                  let base = r * features
                  var meanG: S = 0, meanGX: S = 0
                  for j in 0..<features {
                    let upstream = c[base + j]
                    ds[j] += upstream * xh[base + j]
                    db[j] += upstream
                    let scaled = upstream * g[j]
                    c[base + j] = scaled
                    meanG += scaled
                    meanGX += scaled * xh[base + j]
                  }
                  meanG /= d
                  meanGX /= d
                  let inverse = inverseDeviations[r]
                  for j in 0..<features { c[base + j] = (c[base + j] - meanG - xh[base + j] * meanGX) * inverse }
                }
              }
            }
          }
        }
      }
      return (dx, dScale, dOffset)
    })
  }

  /// Inverted dropout with a seeded mask: each element is kept with
  /// probability 1 − p and scaled by 1/(1 − p), or set to 0, so the expected
  /// value is unchanged and evaluation needs no rescaling.
  ///
  /// The mask comes from ``SplitMix64`` seeded with `seed`: element i is kept
  /// when the generator's i-th unit draw is ≥ p. Equal seeds give equal masks on
  /// every platform and thread count, so a training run that derives the seed
  /// from its step count is reproducible and resumable. The pullback multiplies
  /// ḡ by the same mask and scale. As `torch.nn.functional.dropout(x, p)` in
  /// training mode (whose masks come from its own generator); p = 1 gives zeros.
  ///
  /// - Parameters:
  ///   - a: The input.
  ///   - probability: p, the probability of dropping an element, in [0, 1].
  ///   - seed: The mask's seed.
  /// - Complexity: O(*n*).
  /// - References: Srivastava et al., *Dropout: A Simple Way to Prevent Neural
  ///   Networks from Overfitting*, JMLR 2014.
  @inlinable
  public static func dropout<S: ParameterScalar>(
    _ a: Tensor<S>, probability: Double, seed: UInt64
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> Tensor<S>) {
    precondition(probability >= 0 && probability <= 1, "Pullbacks.dropout: probability \(probability) is not in [0, 1]")
    let keep: S = probability < 1 ? S(1 / (1 - probability)) : 0
    var generator = SplitMix64(seed: seed)
    var mask = Tensor<S>.zeros(a.shape)
    mask.withUnsafeMutableBufferPointer { m in
      for i in 0..<m.count where generator.nextUnitInterval() >= probability { m[i] = keep }
    }
    return (a * mask, { $0 * mask })
  }

  /// Embedding lookup: row `indices[i]` of a `[vocabulary, width]` table becomes
  /// row i of a `[indices.count, width]` matrix.
  ///
  /// The pullback scatters the cotangent's rows back into a zero table, adding
  /// the rows of repeated indices. Matches `torch.nn.functional.embedding(indices,
  /// table)` (dense gradient, no `padding_idx`).
  ///
  /// - Parameters:
  ///   - table: The `[vocabulary, width]` embedding matrix.
  ///   - indices: Row numbers, each in `0..<vocabulary`.
  /// - Returns: The value and the pullback to ∂table.
  /// - Complexity: O(`indices.count` × width); the pullback also allocates the
  ///   table's size.
  @inlinable
  public static func embedding<S: ParameterScalar>(
    _ table: Tensor<S>, indices: [Int]
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> Tensor<S>) {
    let shape = table.shape
    return (table.rows(at: indices), { cotangent in
      precondition(cotangent.shape == [indices.count, shape[1]],
                   "Pullbacks.embedding: cotangent shape \(cotangent.shape) ≠ [\(indices.count), \(shape[1])]")
      var result = Tensor<S>.zeros(shape)
      let width = shape[1]
      result.withUnsafeMutableBufferPointer { t in
        cotangent.withUnsafeBufferPointer { c in
          for (i, row) in indices.enumerated() {
            for j in 0..<width { t[row * width + j] += c[i * width + j] }
          }
        }
      }
      return result
    })
  }
}
