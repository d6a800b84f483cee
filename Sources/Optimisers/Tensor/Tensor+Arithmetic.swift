extension Tensor {
  /// Applies `op` elementwise to two tensors of the same shape, or to a tensor and
  /// a rank-0 tensor (which broadcasts).
  ///
  /// - Precondition: The shapes agree or one side is rank 0; otherwise the call
  ///   stops with a message naming both shapes.
  /// - Complexity: O(*n*).
  @inlinable
  static func zipWith(
    _ lhs: Tensor, _ rhs: Tensor, _ name: StaticString, _ op: (Scalar, Scalar) -> Scalar
  ) -> Tensor {
    if lhs.shape == rhs.shape {
      let a = lhs.storage.buffer, b = rhs.storage.buffer
      return withExtendedLifetime((lhs.storage, rhs.storage)) {
        Tensor(shape: lhs.shape, storage: TensorStorage(count: a.count) { out in
          for i in 0..<out.count { out.initializeElement(at: i, to: op(a[i], b[i])) }
        })
      }
    }
    if rhs.rank == 0 {
      let b = rhs.storage.base[0]
      return lhs.map { op($0, b) }
    }
    if lhs.rank == 0 {
      let a = lhs.storage.base[0]
      return rhs.map { op(a, $0) }
    }
    preconditionFailure("Tensor \(name): shapes \(lhs.shape) and \(rhs.shape) do not match")
  }

  /// Returns a tensor of the same shape with `transform` applied to every scalar.
  ///
  /// - Parameter transform: The elementwise function.
  /// - Complexity: O(*n*).
  @inlinable
  public func map(_ transform: (Scalar) -> Scalar) -> Tensor {
    let a = storage.buffer
    return withExtendedLifetime(storage) {
      Tensor(shape: shape, storage: TensorStorage(count: a.count) { out in
        for i in 0..<out.count { out.initializeElement(at: i, to: transform(a[i])) }
      })
    }
  }

  /// Elementwise sum; a rank-0 operand broadcasts.
  ///
  /// - Complexity: O(*n*).
  @inlinable public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { zipWith(lhs, rhs, "+", +) }
  /// Elementwise difference; a rank-0 operand broadcasts.
  ///
  /// - Complexity: O(*n*).
  @inlinable public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { zipWith(lhs, rhs, "-", -) }
  /// Elementwise (Hadamard) product; a rank-0 operand broadcasts.
  ///
  /// - Complexity: O(*n*).
  @inlinable public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { zipWith(lhs, rhs, "*", *) }
  /// Elementwise quotient; a rank-0 operand broadcasts.
  ///
  /// - Complexity: O(*n*).
  @inlinable public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { zipWith(lhs, rhs, "/", /) }

  /// Adds `rhs` in place, elementwise; a rank-0 `rhs` is added to every element.
  ///
  /// - Complexity: O(*n*), in place when the buffer is unique.
  @inlinable public static func += (lhs: inout Tensor, rhs: Tensor) {
    if lhs.shape == rhs.shape {
      rhs.withUnsafeBufferPointer { b in
        lhs.withUnsafeMutableBufferPointer { a in for i in 0..<a.count { a[i] += b[i] } }
      }
    } else if rhs.rank == 0 {
      let b = rhs.storage.base[0]
      lhs.withUnsafeMutableBufferPointer { a in for i in 0..<a.count { a[i] += b } }
    } else {
      lhs = lhs + rhs
    }
  }

  /// Subtracts `rhs` in place, elementwise; a rank-0 `rhs` broadcasts.
  ///
  /// - Complexity: O(*n*), in place when the buffer is unique.
  @inlinable public static func -= (lhs: inout Tensor, rhs: Tensor) {
    if lhs.shape == rhs.shape {
      rhs.withUnsafeBufferPointer { b in
        lhs.withUnsafeMutableBufferPointer { a in for i in 0..<a.count { a[i] -= b[i] } }
      }
    } else {
      lhs = lhs - rhs
    }
  }

  /// Negates every element.
  ///
  /// - Complexity: O(*n*).
  @inlinable public static prefix func - (x: Tensor) -> Tensor { x.map { -$0 } }

  /// Multiplies every element by a scalar.
  ///
  /// - Complexity: O(*n*).
  @inlinable public static func * (lhs: Scalar, rhs: Tensor) -> Tensor { rhs.map { lhs * $0 } }
  /// Multiplies every element by a scalar.
  ///
  /// - Complexity: O(*n*).
  @inlinable public static func * (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.map { $0 * rhs } }
  /// Adds a scalar to every element.
  ///
  /// - Complexity: O(*n*).
  @inlinable public static func + (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.map { $0 + rhs } }
  /// Subtracts a scalar from every element.
  ///
  /// - Complexity: O(*n*).
  @inlinable public static func - (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.map { $0 - rhs } }
  /// Divides every element by a scalar.
  ///
  /// - Complexity: O(*n*).
  @inlinable public static func / (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.map { $0 / rhs } }

  /// The sum of all elements, accumulated in index order.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func sum() -> Scalar {
    withUnsafeBufferPointer { b in
      var total: Scalar = 0
      for x in b { total += x }
      return total
    }
  }

  /// The arithmetic mean of all elements.
  ///
  /// - Precondition: The tensor is not empty.
  /// - Complexity: O(*n*).
  @inlinable public func mean() -> Scalar {
    precondition(scalarCount > 0, "mean of an empty tensor (shape \(shape))")
    return sum() / Scalar(scalarCount)
  }

  /// Every element squared.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func squared() -> Tensor { map { $0 * $0 } }

  /// The inner product Σᵢ aᵢbᵢ of two tensors of equal shape, in index order.
  ///
  /// - Precondition: The shapes agree.
  /// - Complexity: O(*n*).
  @inlinable public func dot(_ other: Tensor) -> Scalar {
    precondition(shape == other.shape, "Tensor.dot: shapes \(shape) and \(other.shape) do not match")
    return withUnsafeBufferPointer { a in
      other.withUnsafeBufferPointer { b in
        var total: Scalar = 0
        for i in 0..<a.count { total += a[i] * b[i] }
        return total
      }
    }
  }

  /// The matrix–vector product *Wx* of a `[m, n]` matrix and an `[n]` vector.
  ///
  /// - Parameter vector: A vector whose length equals the number of columns.
  /// - Returns: A vector of length `m`.
  /// - Precondition: `self` is rank 2 and `vector` is `[shape[1]]`.
  /// - Complexity: O(*mn*).
  @inlinable public func matvec(_ vector: Tensor) -> Tensor {
    precondition(
      rank == 2 && vector.shape == [shape[1]],
      "Tensor.matvec: a matrix of shape \(shape) cannot multiply a vector of shape \(vector.shape)")
    let rows = shape[0], columns = shape[1]
    return withUnsafeBufferPointer { w in
      vector.withUnsafeBufferPointer { x in
        Tensor(shape: [rows], storage: TensorStorage(count: rows) { out in
          for r in 0..<rows {
            var total: Scalar = 0
            for c in 0..<columns { total += w[r * columns + c] * x[c] }
            out.initializeElement(at: r, to: total)
          }
        })
      }
    }
  }

  /// The matrix product *AB* of a `[m, k]` and a `[k, n]` matrix.
  ///
  /// Each element is Σₚ aᵢₚ bₚⱼ summed in increasing p, each product rounded
  /// and then added, so the result does not depend on the machine or the
  /// number of threads. For `Float` and `Double` the kernel is in C, blocked
  /// for the caches, on 6 × 16 (`Float`) or 6 × 8 (`Double`) tiles of the
  /// result in vector registers (AVX2 where the processor has it).
  ///
  /// - Parameter other: The right-hand matrix.
  /// - Returns: A `[m, n]` matrix.
  /// - Precondition: Both are rank 2 and the inner extents agree.
  /// - Complexity: O(*mkn*).
  @inlinable public func matmul(_ other: Tensor) -> Tensor {
    precondition(
      rank == 2 && other.rank == 2 && shape[1] == other.shape[0],
      "Tensor.matmul: shapes \(shape) and \(other.shape) cannot be multiplied")
    return product(other, m: shape[0], k: shape[1], n: other.shape[1], rowStride: shape[1], columnStride: 1)
  }

  /// The transpose of a matrix.
  ///
  /// - Precondition: `self` is rank 2.
  /// - Complexity: O(*mn*).
  @inlinable public func transposed() -> Tensor {
    precondition(rank == 2, "Tensor.transposed: needs a matrix, shape is \(shape)")
    let rows = shape[0], columns = shape[1]
    return withUnsafeBufferPointer { a in
      Tensor(shape: [columns, rows], storage: TensorStorage(count: rows * columns) { out in
        for r in 0..<rows {
          for c in 0..<columns { out.initializeElement(at: c * rows + r, to: a[r * columns + c]) }
        }
      })
    }
  }

  /// The outer product *uvᵀ* of an `[m]` and an `[n]` vector.
  ///
  /// - Complexity: O(*mn*).
  @inlinable public static func outer(_ u: Tensor, _ v: Tensor) -> Tensor {
    precondition(u.rank == 1 && v.rank == 1, "Tensor.outer: needs two vectors, shapes are \(u.shape) and \(v.shape)")
    let m = u.shape[0], n = v.shape[0]
    return u.withUnsafeBufferPointer { a in
      v.withUnsafeBufferPointer { b in
        Tensor(shape: [m, n], storage: TensorStorage(count: m * n) { out in
          for i in 0..<m { for j in 0..<n { out.initializeElement(at: i * n + j, to: a[i] * b[j]) } }
        })
      }
    }
  }
}
