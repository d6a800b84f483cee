extension Tensor {
  /// The product Aᵀ B of this `[k, m]` matrix, transposed, and a `[k, n]`
  /// matrix, without materialising Aᵀ: the weight gradient of a linear layer,
  /// xᵀ ḡ or ḡᵀ x.
  ///
  /// Each element is Σₚ aₚᵢ bₚⱼ summed in increasing p, bitwise equal to
  /// `transposed().matmul(other)`: Aᵀ is read through strides by the packing.
  ///
  /// - Parameter other: B, with as many rows as this matrix.
  /// - Returns: A `[m, n]` matrix.
  /// - Precondition: Both are rank 2 and their row counts agree.
  /// - Complexity: O(*mkn*).
  @inlinable public func transposedMatmul(_ other: Tensor) -> Tensor {
    precondition(
      rank == 2 && other.rank == 2 && shape[0] == other.shape[0],
      "Tensor.transposedMatmul: shapes \(shape) and \(other.shape) cannot be multiplied as Aᵀ B")
    return product(other, m: shape[1], k: shape[0], n: other.shape[1], rowStride: 1, columnStride: shape[1])
  }

  /// The `[m, n]` product of this matrix, read as an `[m, k]` matrix A whose
  /// element (i, p) is at `i * rowStride + p * columnStride`, and the row-major
  /// `[k, n]` matrix `other`, through `MatrixProductKernel`.
  @inlinable
  func product(_ other: Tensor, m: Int, k: Int, n: Int, rowStride: Int, columnStride: Int) -> Tensor {
    withUnsafeBufferPointer { a in
      other.withUnsafeBufferPointer { b in
        Tensor(shape: [m, n], storage: TensorStorage(count: m * n) { out in
          out.initialize(repeating: 0)
          guard m > 0, n > 0, k > 0, let a = a.baseAddress, let b = b.baseAddress, let c = out.baseAddress else { return }
          MatrixProductKernel.multiply(a, b, into: c, m: m, k: k, n: n, rowStride: rowStride, columnStride: columnStride)
        })
      }
    }
  }
}
