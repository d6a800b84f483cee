extension SOAP {
  /// One leaf's Shampoo statistics: per axis, the Kronecker factor Fᵢ (the
  /// running mode-i Gram matrix of the gradient) and its eigenbasis Qᵢ, both
  /// dᵢ × dᵢ, or empty tensors for an axis that is not preconditioned. The
  /// bases are empty for every axis until the first step.
  ///
  /// - Complexity: Encoding is O(Σᵢ dᵢ²).
  public struct Preconditioner: Codable, Sendable, Equatable {
    /// The factors F₀, F₁, …, one per axis (empty when not preconditioned).
    public var factors: [Tensor<Scalar>]
    /// The bases Q₀, Q₁, …, one per axis (empty when not preconditioned or before the first step).
    public var bases: [Tensor<Scalar>]

    /// A preconditioner from its parts.
    @inlinable public init(factors: [Tensor<Scalar>], bases: [Tensor<Scalar>]) {
      (self.factors, self.bases) = (factors, bases)
    }

    /// Zero factors for the axes `preconditions` picks, no bases.
    @inlinable init(zerosFor shape: [Int], _ preconditions: (Int, Int) -> Bool) {
      let empty = Tensor<Scalar>(shape: [0], scalars: [])
      factors = shape.map { preconditions($0, shape.count) ? .zeros([$0, $0]) : empty }
      bases = Array(repeating: empty, count: shape.count)
    }

    /// F ← F + w (G′₍ᵢ₎ G′₍ᵢ₎ᵀ − F) on every preconditioned axis (`torch.lerp`'s rounding).
    @inlinable mutating func accumulate(_ g: UnsafePointer<Scalar>, shape: [Int], weight: Scalar) {
      for axis in shape.indices where factors[axis].scalarCount != 0 {
        let d = shape[axis]
        let outer = UnsafeMutablePointer<Scalar>.allocate(capacity: d * d)
        defer { outer.deallocate() }
        KroneckerProjection.factor(g, shape: shape, axis: axis, into: outer)
        factors[axis].withUnsafeMutableBufferPointer { f in
          for i in 0..<(d * d) { f[i] = Adafactor<Params>.lerp(f[i], outer[i], weight) }
        }
      }
    }

    /// The first bases, by eigendecomposition of each factor.
    @inlinable mutating func startBases() {
      for axis in factors.indices where factors[axis].scalarCount != 0 {
        bases[axis] = KroneckerProjection.initialBasis(factor: factors[axis])
      }
    }

    /// New bases by one power iteration and QR, reordering the second moment
    /// (the leaf at `secondMoment`) along each axis as its basis's columns are.
    @inlinable mutating func refreshBases(
      secondMoment: UnsafeMutablePointer<Scalar>, shape: [Int], scratch: UnsafeMutablePointer<Scalar>
    ) {
      for axis in factors.indices where factors[axis].scalarCount != 0 {
        let (basis, order) = KroneckerProjection.refreshedBasis(factor: factors[axis], basis: bases[axis])
        KroneckerProjection.permute(secondMoment, shape: shape, axis: axis, order: order, scratch: scratch)
        bases[axis] = basis
      }
    }

    /// What is wrong with this preconditioner for a leaf of `shape`, or `nil`.
    func mismatch(_ shape: [Int], _ preconditions: (Int, Int) -> Bool, started: Bool) -> String? {
      guard factors.count == shape.count, bases.count == shape.count else {
        return "\(factors.count) factors and \(bases.count) bases for \(shape.count) axes"
      }
      for (axis, d) in shape.enumerated() {
        let expected = preconditions(d, shape.count) ? [d, d] : [0]
        guard factors[axis].shape == expected else {
          return "factor \(axis) has shape \(factors[axis].shape), expected \(expected)"
        }
        let basis = started ? expected : [0]
        guard bases[axis].shape == basis else { return "basis \(axis) has shape \(bases[axis].shape), expected \(basis)" }
        guard [factors[axis], bases[axis]].allSatisfy({ $0.withUnsafeBufferPointer { $0.allSatisfy(\.isFinite) } }) else {
          return "factor or basis \(axis) is not finite"
        }
      }
      return nil
    }
  }
}
