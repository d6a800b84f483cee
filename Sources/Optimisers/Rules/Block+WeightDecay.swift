extension Block {
  /// The mapped gradient with PyTorch's coupled `weight_decay` added,
  /// g′ + λp (``WeightDecay``'s formula); g′ itself, bit for bit, when λ = 0.
  ///
  /// - Parameters:
  ///   - i: The element's index in the block.
  ///   - weightDecay: λ, in the scalar type.
  @inlinable @inline(__always)
  public func gradient(_ i: Int, weightDecay: Scalar) -> Scalar {
    weightDecay == 0 ? gradient(i) : gradient(i) + weightDecay * p[i]
  }
}
