/// The tensor algebra of Shampoo-type preconditioners (SOAP): a leaf of shape
/// [d₀, …, d₍ₖ₋₁₎], stored row-major, is rotated axis by axis by an orthogonal
/// dᵢ × dᵢ matrix Qᵢ (or left as it is on an axis without one), and each axis
/// has a Kronecker factor, the mode-i Gram matrix G₍ᵢ₎ G₍ᵢ₎ᵀ.
///
/// The rotation contracts the leading axis and moves it to the end, once per
/// axis, as `torch.tensordot(x, Q, dims=[[0], [0]])` does; after k contractions
/// the axes are back in order:
///
///     forward:   X ← X₍₀₎ᵀ Q₀, then the same with Q₁, …   (X ×₀ Q₀ᵀ ×₁ Q₁ᵀ ⋯)
///     backward:  X ← X₍₀₎ᵀ Q₀ᵀ, …                          (X ×₀ Q₀ ×₁ Q₁ ⋯)
///
/// Every product goes through `MatrixProductKernel`, so results do not
/// depend on the thread count.
///
/// - Complexity: O(n Σᵢ dᵢ) per rotation for a leaf of n elements; O(n dᵢ)
///   per factor.
@usableFromInline
enum KroneckerProjection<Scalar: ParameterScalar> {
  @usableFromInline typealias Product = MatrixProductKernel<Scalar>

  /// Rotates the leaf at `x` (shape `shape`) into, or back out of, the bases;
  /// an empty basis leaves its axis unrotated. `scratch` holds as many scalars as `x`.
  @inlinable
  static func rotate(
    _ x: UnsafeMutablePointer<Scalar>, shape: [Int], bases: [Tensor<Scalar>], backward: Bool,
    scratch: UnsafeMutablePointer<Scalar>
  ) {
    let count = shape.reduce(1, *)
    guard count > 0, !shape.isEmpty else { return }
    // Each contraction reads one buffer and writes the other; only an odd
    // number of axes leaves the result in `scratch`, to be copied back once.
    var (source, target) = (x, scratch)
    for (axis, d) in shape.enumerated() {
      let rest = count / d
      // X is [d, rest]; Y = Xᵀ Q (or Xᵀ Qᵀ, or Xᵀ) is [rest, d].
      if bases[axis].scalarCount == 0 {
        for i in 0..<d { for j in 0..<rest { target[j * d + i] = source[i * rest + j] } }
      } else {
        bases[axis].withUnsafeBufferPointer { q in
          Product.multiply(
            UnsafePointer(source), q.baseAddress!, into: target, m: rest, k: d, n: d, rowStride: 1,
            columnStride: rest, bRowStride: backward ? 1 : d, bColumnStride: backward ? d : 1)
        }
      }
      swap(&source, &target)
    }
    if source != x { x.update(from: source, count: count) }
  }

  /// The Kronecker factor of `axis`: Σ over the other axes of gᵢ gⱼ, a
  /// `[shape[axis], shape[axis]]` matrix written to `out`.
  @inlinable
  static func factor(
    _ g: UnsafePointer<Scalar>, shape: [Int], axis: Int, into out: UnsafeMutablePointer<Scalar>
  ) {
    let d = shape[axis]
    let before = shape[..<axis].reduce(1, *), after = shape[(axis + 1)...].reduce(1, *)
    if after == 1 {
      // G is [before, d]: Gᵀ G.
      Product.multiply(g, g, into: out, m: d, k: before, n: d, rowStride: 1, columnStride: d)
      return
    }
    // Σₐ Gₐ Gₐᵀ over the [d, after] slices Gₐ.
    let slice = UnsafeMutablePointer<Scalar>.allocate(capacity: d * d)
    defer { slice.deallocate() }
    out.update(repeating: 0, count: d * d)
    for a in 0..<before {
      let ga = g + a * d * after
      Product.multiply(
        ga, ga, into: slice, m: d, k: after, n: d, rowStride: after, columnStride: 1, bRowStride: 1,
        bColumnStride: after)
      for i in 0..<(d * d) { out[i] += slice[i] }
    }
  }

  /// Reorders the slices of `axis` of the leaf at `x`: slice j becomes old slice `order[j]`.
  @inlinable
  static func permute(
    _ x: UnsafeMutablePointer<Scalar>, shape: [Int], axis: Int, order: [Int], scratch: UnsafeMutablePointer<Scalar>
  ) {
    let count = shape.reduce(1, *), d = shape[axis]
    let after = shape[(axis + 1)...].reduce(1, *), before = count / (d * after)
    for a in 0..<before {
      for (j, source) in order.enumerated() {
        (scratch + (a * d + j) * after).update(from: x + (a * d + source) * after, count: after)
      }
    }
    x.update(from: scratch, count: count)
  }

  /// One step of power iteration on factor P with basis Q, then QR:
  /// the columns of PQ sorted by the estimated eigenvalues qⱼᵀ P qⱼ, largest
  /// first, and orthonormalised (``HouseholderQR``). Returns the new basis and
  /// the sort order, which the caller applies to the second moment's axis.
  @inlinable
  static func refreshedBasis(factor: Tensor<Scalar>, basis: Tensor<Scalar>) -> (Tensor<Scalar>, [Int]) {
    let n = factor.shape[0]
    var power = [Scalar](repeating: 0, count: n * n)
    factor.withUnsafeBufferPointer { p in
      basis.withUnsafeBufferPointer { q in
        power.withUnsafeMutableBufferPointer { out in
          Product.multiply(p.baseAddress!, q.baseAddress!, into: out.baseAddress!, m: n, k: n, n: n, rowStride: n, columnStride: 1)
        }
      }
    }
    var estimate = [Scalar](repeating: 0, count: n)
    basis.withUnsafeBufferPointer { q in
      for i in 0..<n { for j in 0..<n { estimate[j] += q[i * n + j] * power[i * n + j] } }
    }
    let order = (0..<n).sorted { estimate[$0] > estimate[$1] || (estimate[$0] == estimate[$1] && $0 < $1) }
    var sorted = [Scalar](repeating: 0, count: n * n)
    for i in 0..<n { for (j, source) in order.enumerated() { sorted[i * n + j] = power[i * n + source] } }
    return (HouseholderQR(Tensor(shape: [n, n], scalars: sorted)).q, order)
  }

  /// The first basis: the eigenvectors of factor + 10⁻³⁰ I, by descending
  /// eigenvalue (`torch.linalg.eigh`'s columns flipped).
  @inlinable
  static func initialBasis(factor: Tensor<Scalar>) -> Tensor<Scalar> {
    var shifted = factor
    let n = factor.shape[0]
    shifted.withUnsafeMutableBufferPointer { a in for i in 0..<n { a[i * n + i] += Scalar(1e-30) } }
    return SymmetricEigen(shifted).vectors
  }
}
