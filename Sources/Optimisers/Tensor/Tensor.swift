/// A dense, row-major, copy-on-write array of scalars with a shape.
///
/// `Tensor` is the parameter and gradient type of this package. It is a value:
/// assigning a tensor shares its buffer, and the first mutation of a shared buffer
/// copies it, so an optimiser step that owns its inputs (see ``Optimiser``) runs in
/// place without copying.
///
/// ```swift
/// let w = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// let x = Tensor<Double>([1, 0, -1])
/// let y = w.matvec(x)            // [-2, -2]
/// ```
///
/// A rank-0 tensor (`shape == []`) holds one scalar and broadcasts against any shape
/// in elementwise arithmetic; that is how ``zero`` behaves as the additive identity.
///
/// ## Mathematical properties
/// Elementwise `+`, `-` and `*` are exactly IEEE 754 per element, so the tensor
/// vector space inherits floating-point's commutativity of `+` and `*` (but not
/// associativity). Reductions (``sum()``, ``dot(_:)``) run in index order, so they are
/// deterministic.
///
/// - Complexity: Copying a tensor value is O(1); the first mutation of a shared
///   buffer is O(*n*).
/// - References: Iverson, *A Programming Language*, 1962 (array values); Swift
///   Standard Library, copy-on-write collections.
public struct Tensor<Scalar: ParameterScalar>: Sendable {
  /// The extent of each axis, outermost first. `[]` is a scalar, `[n]` a vector,
  /// `[rows, columns]` a matrix.
  @inlinable public var shape: [Int] { storedShape }

  @usableFromInline var storedShape: [Int]
  @usableFromInline var storage: TensorStorage<Scalar>

  @inlinable
  init(shape: [Int], storage: TensorStorage<Scalar>) {
    self.storedShape = shape
    self.storage = storage
  }

  /// Creates a tensor with the given shape and row-major scalars.
  ///
  /// - Parameters:
  ///   - shape: The extent of each axis; every extent must be ≥ 0.
  ///   - scalars: The elements in row-major order; their count must equal the
  ///     product of `shape`.
  /// - Precondition: `scalars.count` equals the product of `shape`; otherwise the
  ///   call stops with a message naming both.
  /// - Complexity: O(*n*).
  @inlinable
  public init(shape: [Int], scalars: [Scalar]) {
    let count = Tensor.elementCount(of: shape)
    precondition(
      scalars.count == count,
      "Tensor(shape: \(shape), scalars:) needs \(count) scalars, got \(scalars.count)")
    self.storedShape = shape
    self.storage = scalars.withUnsafeBufferPointer { TensorStorage(copying: $0) }
  }

  /// Creates a one-dimensional tensor (shape `[scalars.count]`).
  ///
  /// - Parameter scalars: The elements.
  /// - Complexity: O(*n*).
  @inlinable
  public init(_ scalars: [Scalar]) {
    self.init(shape: [scalars.count], scalars: scalars)
  }

  /// Creates a rank-0 tensor holding one scalar.
  ///
  /// A rank-0 tensor broadcasts against any shape in elementwise arithmetic.
  ///
  /// - Parameter scalar: The value.
  /// - Complexity: O(1).
  @inlinable
  public init(scalar: Scalar) {
    self.init(shape: [], storage: TensorStorage(count: 1, repeating: scalar))
  }

  /// Creates a tensor of the given shape with every element equal to `value`.
  ///
  /// - Parameters:
  ///   - value: The fill value.
  ///   - shape: The extent of each axis.
  /// - Complexity: O(*n*).
  @inlinable
  public init(repeating value: Scalar, shape: [Int]) {
    self.init(
      shape: shape,
      storage: TensorStorage(count: Tensor.elementCount(of: shape), repeating: value))
  }

  /// Creates a tensor of zeros with the given shape.
  ///
  /// - Parameter shape: The extent of each axis.
  /// - Returns: A tensor whose every element is `0`.
  /// - Complexity: O(*n*).
  @inlinable
  public static func zeros(_ shape: [Int]) -> Tensor {
    Tensor(repeating: 0, shape: shape)
  }

  /// The number of scalars: the product of ``shape`` (1 for a rank-0 tensor).
  ///
  /// - Complexity: O(1).
  @inlinable public var scalarCount: Int { storage.count }

  /// The number of axes.
  ///
  /// - Complexity: O(1).
  @inlinable public var rank: Int { shape.count }

  /// The elements in row-major order, as a new array.
  ///
  /// - Complexity: O(*n*); the array is a copy.
  @inlinable public var scalars: [Scalar] { Array(storage.buffer) }

  /// The single element of a tensor with one scalar (a rank-0 tensor, or any shape
  /// whose extents are all 1).
  ///
  /// - Precondition: ``scalarCount`` is 1.
  /// - Complexity: O(1).
  @inlinable public var scalar: Scalar {
    precondition(scalarCount == 1, "Tensor.scalar needs exactly one element; shape is \(shape)")
    return storage.base[0]
  }

  /// Reads or writes the element at a flat, row-major index.
  ///
  /// - Parameter index: A position in `0..<scalarCount`.
  /// - Complexity: O(1), and O(*n*) for the first write to a shared buffer.
  @inlinable public subscript(flat index: Int) -> Scalar {
    get {
      precondition(index >= 0 && index < scalarCount, "flat index \(index) out of range 0..<\(scalarCount)")
      return storage.base[index]
    }
    set {
      precondition(index >= 0 && index < scalarCount, "flat index \(index) out of range 0..<\(scalarCount)")
      makeUnique()
      storage.base[index] = newValue
    }
  }

  /// Reads or writes an element of a matrix.
  ///
  /// - Parameters:
  ///   - row: The row, in `0..<shape[0]`.
  ///   - column: The column, in `0..<shape[1]`.
  /// - Precondition: The tensor has rank 2.
  /// - Complexity: O(1), and O(*n*) for the first write to a shared buffer.
  @inlinable public subscript(row: Int, column: Int) -> Scalar {
    get {
      precondition(rank == 2 && row >= 0 && row < shape[0] && column >= 0 && column < shape[1],
                   "index [\(row), \(column)] is not inside a matrix of shape \(shape)")
      return storage.base[row * shape[1] + column]
    }
    set {
      precondition(rank == 2 && row >= 0 && row < shape[0] && column >= 0 && column < shape[1],
                   "index [\(row), \(column)] is not inside a matrix of shape \(shape)")
      makeUnique()
      storage.base[row * shape[1] + column] = newValue
    }
  }

  /// Calls `body` with the scalars in row-major order.
  ///
  /// The pointer is valid only during the call.
  ///
  /// - Parameter body: A closure that reads the buffer.
  /// - Returns: What `body` returns.
  /// - Complexity: O(1) plus the cost of `body`.
  @inlinable
  public func withUnsafeBufferPointer<R>(
    _ body: (UnsafeBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    try withExtendedLifetime(storage) { try body(storage.buffer) }
  }

  /// Calls `body` with mutable access to the scalars, copying the buffer first if
  /// it is shared with another tensor value.
  ///
  /// - Parameter body: A closure that reads and writes the buffer; it must not
  ///   change the buffer's extent.
  /// - Returns: What `body` returns.
  /// - Complexity: O(1) when the buffer is unique, O(*n*) when it must be copied,
  ///   plus the cost of `body`.
  @inlinable
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R
  ) rethrows -> R {
    makeUnique()
    return try withExtendedLifetime(storage) {
      try body(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
    }
  }

  /// Returns the same scalars viewed with another shape.
  ///
  /// - Parameter newShape: A shape with the same number of elements.
  /// - Precondition: The element counts agree.
  /// - Complexity: O(1): the buffer is shared.
  @inlinable
  public func reshaped(to newShape: [Int]) -> Tensor {
    precondition(
      Tensor.elementCount(of: newShape) == scalarCount,
      "cannot reshape a tensor of shape \(shape) (\(scalarCount) scalars) to \(newShape)")
    return Tensor(shape: newShape, storage: storage)
  }

  /// Makes the buffer unique to this value, copying it if it is shared.
  ///
  /// - Complexity: O(1) when unique, O(*n*) otherwise.
  @inlinable
  mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) {
      storage = TensorStorage(copying: storage.buffer)
    }
  }

  /// The product of the extents of `shape`.
  @inlinable
  static func elementCount(of shape: [Int]) -> Int {
    var count = 1
    for extent in shape {
      precondition(extent >= 0, "tensor extents must be non-negative; shape is \(shape)")
      count *= extent
    }
    return count
  }
}

extension Tensor: Equatable {
  /// Whether two tensors have the same shape and elementwise-equal scalars.
  ///
  /// Uses IEEE equality, so a tensor holding NaN is not equal to itself; compare
  /// ``bitPatternsEqual(_:)`` for bitwise identity.
  ///
  /// - Complexity: O(*n*).
  @inlinable
  public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
    guard lhs.shape == rhs.shape else { return false }
    if lhs.storage === rhs.storage { return !lhs.storage.buffer.contains { $0.isNaN } }
    return lhs.storage.buffer.elementsEqual(rhs.storage.buffer)
  }
}

extension Tensor {
  /// Whether two tensors have the same shape and bit-identical scalars (NaN
  /// payloads and the sign of zero included).
  ///
  /// - Parameter other: The tensor to compare with.
  /// - Complexity: O(*n*).
  @inlinable
  public func bitPatternsEqual(_ other: Tensor) -> Bool {
    guard shape == other.shape else { return false }
    return storage.buffer.elementsEqual(other.storage.buffer) {
      $0.ieeeBits == $1.ieeeBits
    }
  }
}

extension Tensor: CustomStringConvertible {
  /// A short rendering: the shape and, for small tensors, the scalars.
  ///
  /// - Complexity: O(*n*) up to 32 elements.
  public var description: String {
    let shown = scalars.prefix(32).map { "\($0)" }.joined(separator: ", ")
    return "Tensor(shape: \(shape), scalars: [\(shown)\(scalarCount > 32 ? ", …" : "")])"
  }
}

extension Tensor: Codable {
  enum CodingKeys: String, CodingKey { case shape, scalars }

  /// Decodes a tensor written by ``encode(to:)``, checking that the scalar count
  /// matches the shape.
  ///
  /// - Throws: `DecodingError.dataCorrupted` naming the shape and the count when
  ///   they disagree or an extent is negative.
  /// - Complexity: O(*n*).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let shape = try container.decode([Int].self, forKey: .shape)
    var expected = 1
    for extent in shape {
      guard extent >= 0, extent <= Int(Int32.max) else {
        throw DecodingError.dataCorruptedError(
          forKey: .shape, in: container, debugDescription: "tensor shape \(shape) has an invalid extent")
      }
      let (product, overflow) = expected.multipliedReportingOverflow(by: extent)
      guard !overflow, product <= Int(Int32.max) else {
        throw DecodingError.dataCorruptedError(
          forKey: .shape, in: container, debugDescription: "tensor shape \(shape) is too large")
      }
      expected = product
    }
    let scalars = try container.decode([Scalar].self, forKey: .scalars)
    guard scalars.count == expected else {
      throw DecodingError.dataCorruptedError(
        forKey: .scalars, in: container,
        debugDescription: "tensor of shape \(shape) needs \(expected) scalars, found \(scalars.count)")
    }
    self.init(shape: shape, scalars: scalars)
  }

  /// Encodes the shape and the row-major scalars.
  ///
  /// - Complexity: O(*n*).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(shape, forKey: .shape)
    try container.encode(scalars, forKey: .scalars)
  }
}

extension BinaryFloatingPoint where RawSignificand: FixedWidthInteger {
  /// The IEEE bit pattern as a 64-bit integer, for bitwise comparisons.
  @inlinable var ieeeBits: UInt64 {
    UInt64(truncatingIfNeeded: exponentBitPattern) << 52
      ^ UInt64(truncatingIfNeeded: significandBitPattern)
      ^ (sign == .minus ? 1 << 63 : 0)
  }
}
