extension Block {
  /// The mapped gradient with PyTorch's coupled `weight_decay` added,
  /// g′ + λp (``WeightDecay``'s formula); g′ itself, bit for bit, when λ = 0.
  ///
  /// - Parameters:
  ///   - i: The element's index in the block.
  ///   - weightDecay: λ, in the scalar type.
  @inlinable @inline(__always)
  public func gradient(_ i: Int, weightDecay: Scalar) -> Scalar {
    // Both sides computed first: a select, not a branch, so the rule's loop
    // still vectorises (a branch here kept every rule's loop scalar).
    let g = gradient(i), decayed = g + weightDecay * p[i]
    return weightDecay == 0 ? g : decayed
  }
}
