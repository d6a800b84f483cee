/// Small elementwise helpers shared by the update rules: a NaN-propagating sign
/// and maximum, and a constant fill for state buffers.
///
/// - Complexity: Each scalar helper is O(1); ``filled(_:with:)`` is O(*n*).
/// - References: IEEE 754-2019, §9.6 (`maximum` propagates NaN), 2019.
@usableFromInline
enum Elementwise {
  /// sign(x) ∈ {−1, 0, +1}, with ±0 for ±0 and NaN for NaN (as `numpy.sign`
  /// and `torch.sign`).
  @inlinable
  static func sign<S: ParameterScalar>(_ x: S) -> S {
    x > 0 ? 1 : (x < 0 ? -1 : x)
  }

  /// max(a, b), NaN when either is NaN (as `torch.maximum` and `jnp.maximum`).
  @inlinable
  static func maximum<S: ParameterScalar>(_ a: S, _ b: S) -> S {
    a.isNaN ? a : (a > b ? a : b)
  }

  /// `vector` with every scalar of every leaf set to `value`.
  @inlinable
  static func filled<V: VectorSpace>(_ vector: V, with value: Double) -> V {
    var result = vector
    let scalar = V.Scalar(value)
    for leaf in 0..<result.leafCount {
      result.withMutableLeaf(at: leaf) { buffer in
        for i in buffer.indices { buffer[i] = scalar }
      }
    }
    return result
  }
}
