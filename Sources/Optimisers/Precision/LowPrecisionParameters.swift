/// Parameters that ``MixedPrecision`` can keep a `Float` master copy of: the
/// copy has the same leaves, in the same order, with `Float` scalars.
///
/// ``Tensor`` conforms for every scalar type (`Tensor<BFloat16>`,
/// `Tensor<Float16>`, …), with `Tensor<Float>` as its master. A model of
/// low-precision tensors conforms by returning the same model built from
/// `Float` tensors.
public protocol LowPrecisionParameters: Differentiable {
  /// The `Float` counterpart.
  associatedtype Master: Differentiable & Codable where Master.TangentVector.Scalar == Float
  /// The values converted to `Float` (exactly, for `BFloat16` and `Float16`).
  var masterCopy: Master { get }
}

extension Tensor: LowPrecisionParameters {
  /// The scalars converted to `Float`.
  public var masterCopy: Tensor<Float> {
    Tensor<Float>(shape: shape, scalars: scalars.map { ScalarConversion.float($0) })
  }
}
