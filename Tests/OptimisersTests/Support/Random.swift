import Optimisers

extension SplitMix64 {
  /// A double uniformly drawn from `range`.
  mutating func double(in range: ClosedRange<Double>) -> Double {
    range.lowerBound + (range.upperBound - range.lowerBound) * nextUnitInterval()
  }

  /// A double whose logarithm is uniform over `log(range)`.
  mutating func logUniform(in range: ClosedRange<Double>) -> Double {
    let low = range.lowerBound.squareRoot(), high = range.upperBound.squareRoot()
    let r = low + (high - low) * nextUnitInterval()
    return r * r
  }

  /// An integer uniformly drawn from `range`.
  mutating func int(in range: ClosedRange<Int>) -> Int {
    Int.random(in: range, using: &self)
  }

  /// A tensor of standard-normal values with the given shape.
  mutating func tensor<S: ParameterScalar>(_ shape: [Int], scale: Double = 1) -> Tensor<S> {
    Tensor(randomNormal: shape, seed: next(), standardDeviation: S(scale))
  }

  /// A random two-leaf affine model with 1…4 rows and 1…4 columns.
  mutating func affine<S: ParameterScalar>(_: S.Type = S.self) -> AffineModel<S> {
    let rows = int(in: 1...4), columns = int(in: 1...4)
    return AffineModel(weight: tensor([rows, columns]), bias: tensor([rows]))
  }

  /// A random gradient for `model`, sometimes with exact zeros.
  mutating func gradient<S: ParameterScalar>(for model: AffineModel<S>) -> Tangent<AffineModel<S>> {
    var g = model.zeroTangentVector
    var weight: Tensor<S> = tensor(model.weight.shape)
    var bias: Tensor<S> = tensor(model.bias.shape)
    if int(in: 0...3) == 0 { weight[flat: 0] = 0 }
    if int(in: 0...3) == 0 { bias = .zeros(bias.shape) }
    g[\.weight] = weight
    g[\.bias] = bias
    return g
  }
}

extension BinaryFloatingPoint where RawSignificand: FixedWidthInteger {
  /// The sign, exponent and significand bits, for bitwise comparisons.
  var bits: UInt64 {
    UInt64(truncatingIfNeeded: exponentBitPattern) << 52
      ^ UInt64(truncatingIfNeeded: significandBitPattern)
      ^ (sign == .minus ? 1 << 63 : 0)
  }
}
