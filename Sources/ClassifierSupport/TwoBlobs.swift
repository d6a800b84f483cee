import Optimisers

/// Two Gaussian blobs in ten dimensions, centred at ±0.6 on every axis.
public func twoBlobs(count: Int, seed: UInt64) -> (x: Tensor<Double>, labels: [Int]) {
  var generator = SplitMix64(seed: seed)
  var scalars: [Double] = []
  var labels: [Int] = []
  for _ in 0..<count {
    let label = Int(generator.next() % 2)
    let centre = label == 0 ? -0.6 : 0.6
    for _ in 0..<10 { scalars.append(centre + generator.nextStandardNormal()) }
    labels.append(label)
  }
  return (Tensor(shape: [count, 10], scalars: scalars), labels)
}

/// The fraction of rows whose more probable class is the label.
public func accuracy(_ model: LayerChain, _ data: (x: Tensor<Double>, labels: [Int])) -> Double {
  let p = model.probabilities(data.x)
  var correct = 0
  for (row, label) in data.labels.enumerated() where (p[row, 1] > p[row, 0] ? 1 : 0) == label { correct += 1 }
  return Double(correct) / Double(data.labels.count)
}
