// Release-mode measurements under mpirun, each a ratio of two timings taken in
// the same run:
//  1. MPICollective.allReduceSum against a plain C loop of MPI_Allreduce over
//     the same bytes (target: ratio ≤ 1.1);
//  2. a sharded Adam step (DataParallel(Sharded(Adam))) against the unsharded
//     data-parallel step (DataParallel(Adam)) and against a single process's
//     Adam step, on a 2²⁰-parameter vector.
//
//   swift build -c release && mpirun -np 2 --allow-run-as-root .build/release/mpi-bench
import CMPIReference
import Optimisers
import OptimisersMPI

/// The fastest of `rounds` timings of `body` (seconds per call).
func fastest(rounds: Int, calls: Int, _ body: () -> Double) -> Double {
  (0..<rounds).map { _ in body() / Double(calls) }.min()!
}

MPICollective.run { collective in
  let root = collective.rank == 0
  if root { print("ranks: \(collective.size)") }

  for (count, calls) in [(1 << 10, 2000), (1 << 16, 400), (1 << 20, 40)] {
    var buffer = [Double](repeating: 1e-3, count: count)
    var swiftTime = Double.infinity, cTime = Double.infinity
    for _ in 0..<5 {
      // Alternate so that both see the same machine state.
      cTime = min(cTime, buffer.withUnsafeMutableBufferPointer {
        cmpi_reference_allreduce_seconds($0.baseAddress, Int32(count), Int32(calls))
      } / Double(calls))
      swiftTime = min(swiftTime, fastest(rounds: 1, calls: calls) {
        buffer.withUnsafeMutableBufferPointer { b in
          let start = MPICollective.wallTime
          for _ in 0..<calls { collective.allReduceSum(b) }
          return MPICollective.wallTime - start
        }
      })
      buffer = [Double](repeating: 1e-3, count: count)
    }
    if root {
      print("all-reduce \(count * 8) bytes: Swift \(swiftTime * 1e6) µs, C MPI_Allreduce \(cTime * 1e6) µs, ratio \(swiftTime / cTime)")
    }
  }

  let n = 1 << 20, steps = 20
  let start = Tensor<Double>(randomNormal: [n], seed: 7, standardDeviation: 1)
  let gradient = Tensor<Double>(randomNormal: [n], seed: 8 + UInt64(collective.rank), standardDeviation: 1)
  func time<O: Optimiser>(_ optimiser: O) -> Double where O.Params == Tensor<Double> {
    var model = start
    var state = optimiser.initialState(for: model)
    optimiser.update(&state, &model, gradient)  // warm up
    var barrier = [Double(0)]
    barrier.withUnsafeMutableBufferPointer { collective.allReduceSum($0) }
    let begin = MPICollective.wallTime
    for _ in 0..<steps { optimiser.update(&state, &model, gradient) }
    return (MPICollective.wallTime - begin) / Double(steps)
  }
  var alone = Double.infinity, dataParallel = Double.infinity, sharded = Double.infinity
  for _ in 0..<3 {
    alone = min(alone, time(Adam<Tensor<Double>>()))
    dataParallel = min(dataParallel, time(DataParallel(Adam<Tensor<Double>>(), over: collective)))
    sharded = min(sharded, time(DataParallel(Sharded(Adam<LeafGroup<Tensor<Double>>>(), over: collective), over: collective)))
  }
  if root {
    print("Adam step, \(n) parameters: one process \(alone * 1e3) ms, data-parallel \(dataParallel * 1e3) ms, sharded \(sharded * 1e3) ms")
    print("sharded / data-parallel: \(sharded / dataParallel), sharded / one process: \(sharded / alone)")
    print("optimiser state per rank: sharded \(2 * n / collective.size * 8) bytes, unsharded \(2 * n * 8) bytes")
  }
}
