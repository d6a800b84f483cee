extension Walk {
  /// Changes the state's values other than its buffers (an estimate the rule
  /// derives from a whole-model reduction) between a step's passes, and
  /// returns what `body` returns.
  ///
  /// Buffers must be changed only by kernels; `body` may read them but must
  /// not replace them.
  @inlinable
  public func modify<Value>(_ body: (inout State) -> Value) -> Value { body(&state.pointee) }

  /// Two sums over every element of every leaf, for a rule that reduces over
  /// the whole model before it moves it (``Prodigy``, ``DAdaptAdamW``).
  ///
  /// `terms(b, i)` gives element *i*'s two terms; it must only read. Each leaf
  /// is summed in the parameters' scalar type, in index order, and the leaves'
  /// sums are added in `Double`, in leaf order (as the PyTorch references add
  /// each tensor's `.item()` to a Python float), all on the calling thread: the
  /// result does not depend on the thread count.
  ///
  /// - Complexity: O(*n*), one read-only pass.
  @inlinable
  public func wholeModelSums(_ terms: (Block<Scalar, Map>, Int) -> (Scalar, Scalar)) -> (Double, Double) {
    var total = (0.0, 0.0)
    wholeLeaves { b in
      var first: Scalar = 0, second: Scalar = 0
      for i in b.indices {
        let (x, y) = terms(b, i)
        first += x
        second += y
      }
      total.0 += Double(first)
      total.1 += Double(second)
    }
    return total
  }
}
