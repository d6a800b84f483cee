extension Pullbacks {
  /// The Gaussian error linear unit in its exact (erf) form, elementwise:
  /// GELU(x) = x Φ(x) = ½ x (1 + erf(x / √2)).
  ///
  /// The pullback returns ḡ ⊙ (Φ(x) + x φ(x)), with φ(x) = e^(−x²/2) / √(2π).
  /// This is PyTorch's default, `torch.nn.functional.gelu(x)`
  /// (`approximate="none"`), and `jax.nn.gelu(x, approximate=False)`; the tanh
  /// approximation (JAX's default) differs from it by up to about 5 × 10⁻⁴.
  ///
  /// - Complexity: O(*n*), one `erf` and one `exp` per element.
  /// - References: Hendrycks and Gimpel, *Gaussian Error Linear Units (GELUs)*, 2016.
  @inlinable
  public static func gelu<S: ParameterScalar>(
    _ a: Tensor<S>
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> Tensor<S>) {
    let inverseRootTwo = S(0.70710678118654752440)
    let inverseRootTwoPi = S(0.39894228040143267794)
    let y = a.map { x in x * (1 + S.erf(x * inverseRootTwo)) / 2 }
    return (y, { cotangent in
      Tensor.zipWith(cotangent, a, "gelu") { c, x in
        let cdf = (1 + S.erf(x * inverseRootTwo)) / 2
        let density = S.exp(-x * x / 2) * inverseRootTwoPi
        return c * (cdf + x * density)
      }
    })
  }

  /// The leaky rectifier, elementwise: x for x > 0, α x otherwise.
  ///
  /// The pullback passes ḡ where x > 0 and α ḡ elsewhere (α at x = 0, as
  /// PyTorch). Matches `torch.nn.functional.leaky_relu(x, negative_slope=α)`.
  ///
  /// - Parameters:
  ///   - a: The input.
  ///   - negativeSlope: α; default 0.01, PyTorch's.
  /// - Complexity: O(*n*).
  /// - References: Maas, Hannun and Ng, *Rectifier Nonlinearities Improve Neural
  ///   Network Acoustic Models*, ICML 2013.
  @inlinable
  public static func leakyReLU<S: ParameterScalar>(
    _ a: Tensor<S>, negativeSlope: S = 0.01
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> Tensor<S>) {
    (a.map { $0 > 0 ? $0 : negativeSlope * $0 },
     { Tensor.zipWith($0, a, "leakyReLU") { c, x in x > 0 ? c : negativeSlope * c } })
  }
}

extension Pullbacks {
  /// A fully connected layer, y = x Wᵀ + b, for a `[batch, in]` matrix x, a
  /// `[out, in]` weight W (PyTorch's layout) and an `[out]` bias b.
  ///
  /// The pullback returns (ḡ W, ḡᵀ x, Σ_rows ḡ) without transposing ḡ or x
  /// (``Tensor/transposedMatmul(_:)``); the results are bitwise those of
  /// composing ``transposed(_:)``, ``matmul(_:_:)`` and ``add(_:_:)``. Matches
  /// `torch.nn.functional.linear(x, W, b)`.
  ///
  /// - Returns: The value and a pullback to (∂x, ∂W, ∂b).
  /// - Complexity: O(batch × in × out) forward, twice that for the pullback.
  @inlinable
  public static func linear<S: ParameterScalar>(
    _ x: Tensor<S>, weight: Tensor<S>, bias: Tensor<S>
  ) -> (value: Tensor<S>, pullback: (Tensor<S>) -> (Tensor<S>, Tensor<S>, Tensor<S>)) {
    precondition(x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1] && bias.shape == [weight.shape[0]],
                 "Pullbacks.linear: x \(x.shape), weight \(weight.shape) and bias \(bias.shape) do not fit x Wᵀ + b")
    let (y, biasBack) = add(x.matmul(weight.transposed()), bias)
    return (y, { cotangent in
      let (dProduct, dBias) = biasBack(cotangent)
      return (dProduct.matmul(weight), dProduct.transposedMatmul(x), dBias)
    })
  }
}
