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

  /// Calls `body(i, g′ᵢ + λpᵢ)` at every position `i` (``gradient(_:weightDecay:)``),
  /// after scaling pᵢ by `shrink` (decoupled weight decay, pᵢ ← pᵢ · (1 − ηλ),
  /// with g′ᵢ + λpᵢ taken from the unscaled pᵢ).
  ///
  /// One loop per case: λ = 0 and no shrink (g′ᵢ itself), coupled λ ≠ 0, and
  /// a shrink. The common first loop then carries neither the product, the
  /// select nor the scaling.
  ///
  /// The last `count % 8` positions come first: the loop over the rest then
  /// ends on a multiple of 8, so the vectorised loop has no scalar remainder
  /// after it and keeps all its constants in registers (with the remainder
  /// after it, the scalar copies stayed live across the loop and a fused
  /// `Chain(ClipValue, WeightDecay, Adam)` spilled five of nine to the stack).
  @inlinable @inline(__always)
  public func forEachGradient(weightDecay: Scalar, shrink: Scalar = 1, _ body: (Int, Scalar) -> Void) {
    if shrink != 1 {
      remainderFirst { i in
        let g = gradient(i, weightDecay: weightDecay)
        p[i] *= shrink
        body(i, g)
      }
    } else if weightDecay == 0 {
      remainderFirst { i in body(i, gradient(i)) }
    } else {
      remainderFirst { i in body(i, gradient(i) + weightDecay * p[i]) }
    }
  }

  /// Calls `body` at positions `count & ~7 ..< count`, then `0 ..< count & ~7`.
  @inlinable @inline(__always)
  func remainderFirst(_ body: (Int) -> Void) {
    let whole = count & ~7
    for i in whole..<count { body(i) }
    for i in 0..<whole { body(i) }
  }
}
