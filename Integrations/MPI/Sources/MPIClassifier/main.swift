// The seed's classifier trained data-parallel with sharded Adam: each rank
// computes the gradient of its half of every batch, DataParallel averages the
// halves, and Sharded keeps each rank's share of Adam's moments only.
//
//   mpirun -np 2 --allow-run-as-root .build/release/mpi-classifier
//
// Rank 0 also trains the same model in one process on the full batch and
// checks that both runs end within 1e-12 (relative) of each other.
import ClassifierSupport
import Optimisers
import OptimisersMPI

let epochs = 150
let learningRate = 0.05

/// The largest |a − b| / max(|a|, |b|, 1e-300) over every parameter.
func largestRelativeDifference(_ a: LayerChain, _ b: LayerChain) -> Double {
  zip(a.flattenedParameters, b.flattenedParameters).map { x, y in
    abs(x - y) / max(abs(x), abs(y), 1e-300)
  }.max() ?? 0
}

/// The classifier's single-process run: full batch, plain Adam.
func trainAlone(on data: (x: Tensor<Double>, labels: [Int])) -> (LayerChain, stateBytes: Int) {
  var model = LayerChain()
  let optimiser = Adam<LayerChain>(learningRate: learningRate)
  var state = optimiser.initialState(for: model)
  for _ in 0...epochs {
    let (_, gradient) = valueWithGradient(at: model) { $0.loss(data.x, data.labels) }
    optimiser.update(&state, &model, gradient)
  }
  let scalars = state.firstMoment.leaves.reduce(0) { $0 + $1.scalarCount } * 2
  return (model, scalars * MemoryLayout<Double>.size)
}

let status = MPICollective.run { collective -> Int32 in
  let (rank, ranks) = (collective.rank, collective.size)
  let training = twoBlobs(count: 400, seed: 1)
  let test = twoBlobs(count: 400, seed: 2)
  precondition(400 % ranks == 0, "run with a number of ranks that divides 400")
  // This rank's share of every batch: rows rank·(400/N) ..< (rank + 1)·(400/N).
  let rows = Array(rank * 400 / ranks..<(rank + 1) * 400 / ranks)
  let mine = (x: training.x.rows(at: rows), labels: rows.map { training.labels[$0] })

  var model = LayerChain()
  let optimiser = DataParallel(
    Sharded(Adam<LeafGroup<LayerChain>>(learningRate: learningRate), over: collective), over: collective)
  var state = optimiser.initialState(for: model)
  for _ in 0...epochs {
    let (_, gradient) = valueWithGradient(at: model) { $0.loss(mine.x, mine.labels) }
    optimiser.update(&state, &model, gradient)
  }

  // Adam's two moments for this rank's share, in bytes; gathered to rank 0.
  let shareBytes = Double(
    (state.shard.firstMoment.leaves + state.shard.secondMoment.leaves).reduce(0) { $0 + $1.scalarCount }
      * MemoryLayout<Double>.size)
  var allBytes = [Double](repeating: 0, count: ranks)
  [shareBytes].withUnsafeBufferPointer { local in
    allBytes.withUnsafeMutableBufferPointer {
      collective.allGather(local, counts: [Int](repeating: 1, count: ranks), into: $0)
    }
  }
  guard rank == 0 else { return 0 }
  let (alone, aloneBytes) = trainAlone(on: training)
  let difference = largestRelativeDifference(model, alone)
  print("ranks: \(ranks), epochs: \(epochs + 1), \(model.flattenedParameters.count) parameters")
  for (r, bytes) in allBytes.enumerated() {
    print("rank \(r): optimiser state \(Int(bytes)) bytes (single process: \(aloneBytes) bytes)")
  }
  print("test accuracy: \(accuracy(model, test) * 100)% (single process: \(accuracy(alone, test) * 100)%)")
  print("largest relative difference from the single-process run: \(difference)")
  if !(difference <= 1e-12) {
    print("FAILED: the data-parallel run differs from the single-process run by more than 1e-12")
    return 1
  }
  return 0
}
if status != 0 { fatalError("mpi-classifier failed") }
