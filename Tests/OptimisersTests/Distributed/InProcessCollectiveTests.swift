import Optimisers
import Testing

/// The in-process collective against sums and copies computed here, for 1…4
/// ranks and both scalar types.
@Suite struct InProcessCollectiveTests {
  /// Rank r's input: distinct, non-representable-sum values so order matters.
  static func input<S: ParameterScalar>(rank: Int, count: Int) -> [S] {
    (0..<count).map { S(rank + 1) / 3 + S($0) * S(0.1) }
  }

  @Test(arguments: 1...4) func allReduceSumsInRankOrderOnEveryRank(_ ranks: Int) {
    let expected: [Double] = (0..<7).map { i in
      var sum = Self.input(rank: 0, count: 7)[i] as Double
      for r in 1..<ranks { sum += Self.input(rank: r, count: 7)[i] }
      return sum
    }
    let results = InProcessCollective.run(ranks: ranks) { c -> [Double] in
      #expect(c.size == ranks)
      var buffer: [Double] = Self.input(rank: c.rank, count: 7)
      buffer.withUnsafeMutableBufferPointer { c.allReduceSum($0) }
      // A second call with another type reuses the barrier.
      var floats: [Float] = [Float(c.rank)]
      floats.withUnsafeMutableBufferPointer { c.allReduceSum($0) }
      #expect(floats == [Float((0..<ranks).reduce(0, +))])
      return buffer
    }
    for (rank, result) in results.enumerated() {
      #expect(result.map(\.bitPattern) == expected.map(\.bitPattern), "rank \(rank)")
    }
  }

  @Test(arguments: 1...4) func reduceScatterGivesEachRankItsSegment(_ ranks: Int) {
    let counts = (0..<ranks).map { $0 % 2 == 0 ? 3 : 0 }  // some ranks get nothing
    let total = counts.reduce(0, +)
    let results = InProcessCollective.run(ranks: ranks) { c -> [Float] in
      let buffer: [Float] = Self.input(rank: c.rank, count: total)
      var result = [Float](repeating: .nan, count: counts[c.rank])
      buffer.withUnsafeBufferPointer { b in result.withUnsafeMutableBufferPointer { c.reduceScatterSum(b, counts: counts, into: $0) } }
      return result
    }
    var start = 0
    for rank in 0..<ranks {
      let expected: [Float] = (start..<start + counts[rank]).map { i in
        var sum = Self.input(rank: 0, count: total)[i] as Float
        for r in 1..<ranks { sum += Self.input(rank: r, count: total)[i] }
        return sum
      }
      #expect(results[rank] == expected, "rank \(rank)")
      start += counts[rank]
    }
  }

  @Test(arguments: 1...4) func allGatherConcatenatesInRankOrder(_ ranks: Int) {
    let counts = (0..<ranks).map { $0 + 1 }
    let results = InProcessCollective.run(ranks: ranks) { c -> [Double] in
      let local = [Double](repeating: Double(c.rank), count: counts[c.rank])
      var result = [Double](repeating: -1, count: counts.reduce(0, +))
      local.withUnsafeBufferPointer { l in result.withUnsafeMutableBufferPointer { c.allGather(l, counts: counts, into: $0) } }
      return result
    }
    let expected = (0..<ranks).flatMap { [Double](repeating: Double($0), count: $0 + 1) }
    for result in results { #expect(result == expected) }
  }

  @Test(arguments: 1...4) func broadcastCopiesTheRootsBuffer(_ ranks: Int) {
    let root = ranks - 1
    let results = InProcessCollective.run(ranks: ranks) { c -> [Float] in
      var buffer: [Float] = [Float(c.rank), 0.5, Float(c.rank * 7)]
      buffer.withUnsafeMutableBufferPointer { c.broadcast($0, from: root) }
      return buffer
    }
    for result in results { #expect(result == [Float(root), 0.5, Float(root * 7)]) }
  }

  @Test func manyOperationsInARowStayInStep() {
    // Ranks race through 200 all-reduces; a barrier that let a fast rank take
    // a slow rank's wake-up would deadlock or mix rounds.
    let results = InProcessCollective.run(ranks: 3) { c -> Double in
      var total = 0.0
      for round in 0..<200 {
        var x = [Double(c.rank + round)]
        x.withUnsafeMutableBufferPointer { c.allReduceSum($0) }
        total += x[0]
      }
      return total
    }
    let expected = (0..<200).reduce(0.0) { $0 + Double(3 * $1 + 3) }
    #expect(results == [expected, expected, expected])
  }
}
