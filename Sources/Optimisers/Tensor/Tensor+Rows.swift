extension Tensor {
  /// The rows of a matrix at `indices`, in that order (repeats allowed), as a
  /// `[indices.count, columns]` matrix: how a mini-batch is gathered from a data
  /// set and how an embedding is looked up.
  ///
  /// - Parameter indices: Row numbers, each in `0..<shape[0]`.
  /// - Precondition: `self` is rank 2 and every index is a row.
  /// - Complexity: O(`indices.count` × columns).
  @inlinable
  public func rows(at indices: [Int]) -> Tensor {
    precondition(rank == 2, "Tensor.rows(at:): needs a matrix, shape is \(shape)")
    let count = shape[0], width = shape[1]
    return withUnsafeBufferPointer { source in
      Tensor(shape: [indices.count, width], storage: TensorStorage(count: indices.count * width) { out in
        for (i, row) in indices.enumerated() {
          precondition(row >= 0 && row < count, "Tensor.rows(at:): row \(row) is not in 0..<\(count)")
          for j in 0..<width { out.initializeElement(at: i * width + j, to: source[row * width + j]) }
        }
      })
    }
  }
}
