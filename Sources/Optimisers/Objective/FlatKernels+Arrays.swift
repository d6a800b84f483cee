extension FlatKernels {
  /// Σᵢ aᵢ bᵢ over two arrays of equal length (0 when empty).
  @inlinable
  static func dot<S: ParameterScalar>(_ a: [S], _ b: [S], order: ReductionOrder = .blocked) -> Double {
    precondition(a.count == b.count, "vectors of \(a.count) and \(b.count) scalars")
    guard !a.isEmpty else { return 0 }
    return a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in dot(a.baseAddress!, b.baseAddress!, a.count, order: order) }
    }
  }

  /// max |xᵢ|, Σ|xᵢ| and finiteness of an array.
  @inlinable
  static func summary<S: ParameterScalar>(_ x: [S]) -> AbsoluteSummary {
    guard !x.isEmpty else { return AbsoluteSummary(max: 0, sum: 0, finite: true) }
    return x.withUnsafeBufferPointer { absoluteSummary($0.baseAddress!, $0.count) }
  }
}
