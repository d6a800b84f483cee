import Optimisers

/// Four leaves of different sizes and ranks (two matrices, two vectors), so
/// that element ranges over 1…4 ranks cut leaves in several places.
struct FourLeafModel: Parameterised {
  typealias Scalar = Float
  var w1: Tensor<Float>
  var b1: Tensor<Float>
  var w2: Tensor<Float>
  var b2: Tensor<Float>
  static let parameters = ParameterList<FourLeafModel>(\.w1, \.b1, \.w2, \.b2)

  static func random(_ g: inout SplitMix64) -> FourLeafModel {
    FourLeafModel(w1: g.tensor([4, 6]), b1: g.tensor([4]), w2: g.tensor([3, 4]), b2: g.tensor([3]))
  }
}

extension SplitMix64 {
  /// A standard-normal tangent shaped like `params`, with an exact zero now and then.
  mutating func tangent<P: Differentiable>(for params: P, scale: Double = 1) -> P.TangentVector {
    var g = params.zeroTangentVector
    for leaf in 0..<g.leafCount {
      let values: Tensor<P.TangentVector.Scalar> = tensor(g.leafShape(at: leaf), scale: scale)
      g.withMutableLeaf(at: leaf) { target in
        values.withUnsafeBufferPointer { source in for i in target.indices { target[i] = source[i] } }
        if int(in: 0...4) == 0 { target[0] = 0 }
      }
    }
    return g
  }
}

/// Whether every scalar of every leaf has the same bits.
func sameBits<P: Differentiable>(_ a: P, _ b: P) -> Bool { a.parametersBitwiseEqual(b) }

/// The mean of the ranks' tangents, summed in rank order and divided by N: the
/// average every rank must get, computed here without any collective.
func rankOrderMean<V: VectorSpace>(_ tangents: [V]) -> V {
  var result = tangents[0]
  for leaf in 0..<result.leafCount {
    result.withMutableLeaf(at: leaf) { target in
      for other in tangents.dropFirst() {
        other.withLeaf(at: leaf) { source in for i in target.indices { target[i] += source[i] } }
      }
      for i in target.indices { target[i] /= V.Scalar(tangents.count) }
    }
  }
  return result
}
