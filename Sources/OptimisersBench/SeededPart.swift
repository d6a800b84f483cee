import Optimisers

/// A benchmark model part that can be built from a seed: a tensor, or ten of
/// a smaller part.
protocol SeededPart: ParameterField, Sendable {
  associatedtype Scalar: ParameterScalar
  /// The number of tensors in the part (the seed stride between siblings).
  static var tensorCount: Int { get }
  /// The part whose tensors hold `count` scalars each, filled from `seed`,
  /// `seed + 1`, … in leaf order.
  init(count: Int, seed: Int)
}

extension Tensor: SeededPart {
  static var tensorCount: Int { 1 }
  init(count: Int, seed: Int) { self = vector(Scalar.self, count: count, seed: seed, scale: 1) }
}
