import COptimisers
import Dispatch
import Synchronization

/// The fused pass of the 8-bit rules: for each block of 256 values it decodes
/// the moments, runs the rule's ``QuantisedKernel`` in `Float` on every
/// element (reading the parameter and gradient in their own precision and
/// writing the parameter back rounded), then encodes the block's new moments
/// with their new scales — one read and one write of every byte.
///
/// Work is cut into runs of 64 whole blocks, so a block is never shared
/// between threads and every element gets the same arithmetic whatever the
/// thread count; the ``Parallelism`` setting decides how many threads run.
@usableFromInline
enum QuantisedWalk {
  /// Scalars per work item: 64 blocks.
  @inlinable static var chunk: Int { 64 * QuantisedTensor.blockSize }

  /// The codes and scales of every leaf of the one or two moments.
  @usableFromInline
  struct Pointers: @unchecked Sendable {
    @usableFromInline let codes: [UnsafeMutablePointer<UInt8>]
    @usableFromInline let scales: [UnsafeMutablePointer<Float>]
    @usableFromInline let secondCodes: [UnsafeMutablePointer<UInt8>]
    @usableFromInline let secondScales: [UnsafeMutablePointer<Float>]

    @inlinable
    init(_ first: inout [QuantisedTensor], _ second: inout [QuantisedTensor]?) {
      for i in first.indices { first[i].makeUnique() }
      codes = first.map { $0.storage.codes }
      scales = first.map { $0.storage.scales }
      if second != nil {
        for i in second!.indices { second![i].makeUnique() }
      }
      // Without a second moment the kernel never reads these; they alias the first.
      secondCodes = second?.map { $0.storage.codes } ?? codes
      secondScales = second?.map { $0.storage.scales } ?? scales
    }
  }

  /// One step over every leaf.
  ///
  /// - Precondition: The moments have the parameters' leaf count and sizes.
  @inlinable
  static func step<P: Differentiable, Map: GradientMap, K: QuantisedKernel>(
    _ params: inout P, _ gradient: P.TangentVector, preprocessing map: Map, step t: Int,
    first: inout [QuantisedTensor], second: inout [QuantisedTensor]?, rounding: HalfPrecisionRounding, kernel: K
  ) {
    let leaves = params.parameterLeafCount
    precondition(first.count == leaves, "the 8-bit state has \(first.count) leaves, but the parameters have \(leaves)")
    for leaf in 0..<leaves {
      let count = params.parameterLeafShape(at: leaf).reduce(1, *)
      precondition(
        first[leaf].count == count && (second == nil || second![leaf].count == count),
        "8-bit state leaf \(leaf) does not have the parameter's \(count) scalars; was the state made for other parameters?")
    }
    let pointers = Pointers(&first, &second)
    let seed = rounding.seed
    var none = LeafWalk.HeldBuffers<P>()
    LeafWalk.walk(&params, gradient, &none, preprocessing: map) { walk in
      let body: @Sendable (Block<P.TangentVector.Scalar, Map>) -> Void = { b in
        run(b, pointers, step: t, seed: seed, kernel: kernel)
      }
      if walk.table.isGathered { inChunks(walk.table, walk.map, body) } else { walk.wholeLeaves(body) }
    }
  }

  /// Runs `body` over runs of whole blocks, on threads when the step is large.
  @inlinable
  static func inChunks<S: ParameterScalar, Map: GradientMap>(
    _ table: LeafTable, _ map: Map, _ body: @Sendable (Block<S, Map>) -> Void
  ) {
    var items: [(leaf: Int, lo: Int, hi: Int)] = []
    var total = 0
    for leaf in 0..<table.leaves {
      let count = table.counts[leaf]
      total += count
      var lo = 0
      repeat {
        let hi = Swift.min(lo + chunk, count)
        items.append((leaf, lo, hi))
        lo = hi
      } while lo < count
    }
    let setting = Parallelism.current
    let threads = Swift.min(setting.maximumThreads, items.count)
    if threads <= 1 || total < Swift.max(setting.minimumParallelScalars, LeafWalk.alwaysSerialBelow) {
      for item in items { body(Block(table: table, leaf: item.leaf, lo: item.lo, hi: item.hi, map: map)) }
      return
    }
    let next = Atomic<Int>(0)
    let work = items
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      while true {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        if index >= work.count { break }
        let item = work[index]
        body(Block(table: table, leaf: item.leaf, lo: item.lo, hi: item.hi, map: map))
      }
    }
  }

  /// Decodes, updates and re-encodes the blocks of `b` (whose offset is a
  /// multiple of 256). Adam and AdamW on `Float` or ``BFloat16`` leaves
  /// without a gradient map run as one fused C pass (``FusedAdamKernel``);
  /// otherwise, per block, the moments are decoded into `Float`
  /// scratch, the parameters and gradients loaded as `Float` (in place for
  /// `Float` parameters without a gradient map), the rule's kernel runs over
  /// plain `Float` arrays (so it vectorises), and the parameters and moments
  /// are stored. The codec and the bfloat16 conversions are C kernels
  /// (`COptimisersQuantisedBlocks.h`) that give the same bits on every path.
  @inlinable
  static func run<S: ParameterScalar, Map: GradientMap, K: QuantisedKernel>(
    _ b: Block<S, Map>, _ pointers: Pointers, step t: Int, seed: UInt64?, kernel: K
  ) {
    let size = QuantisedTensor.blockSize
    let firstMap = QuantisationMap.signed, secondMap = QuantisationMap.unsigned
    let mc = pointers.codes[b.leaf] + b.offset, ms = pointers.scales[b.leaf] + b.offset / size
    let vc = pointers.secondCodes[b.leaf] + b.offset, vs = pointers.secondScales[b.leaf] + b.offset / size
    let stream = seed.map { CounterRandom.stream(seed: $0, step: t, leaf: b.leaf) }
    if Map.self == IdentityGradientMap.self && (S.self == Float.self || S.self == BFloat16.self),
       let adam = kernel as? any FusedAdamKernel {
      var run = optimisers_adam8_leaf(
        p: UnsafeMutableRawPointer(b.p), g: UnsafeRawPointer(b.rawGradient), m_codes: mc, v_codes: vc, m_scales: ms,
        v_scales: vs, m_map: UnsafePointer(firstMap.tables), v_map: UnsafePointer(secondMap.tables),
        coefficients: adam.adamCoefficients, stream: stream ?? 0, first: b.offset,
        bfloat16: S.self == BFloat16.self ? 1 : 0, stochastic: stream == nil ? 0 : 1)
      optimisers_adam8(&run, 0, b.count)
      return
    }
    withUnsafeTemporaryAllocation(of: Float.self, capacity: 5 * size) { scratch in
      let mt = scratch.baseAddress!, vt = mt + size, pt = vt + size, gt = pt + size, before = gt + size
      var lo = 0
      while lo < b.count {
        let n = Swift.min(size, b.count - lo), block = lo / size
        QuantisedTensor.decode(mc + lo, n, scale: ms[block], into: mt, firstMap)
        if K.keepsSecondMoment {
          QuantisedTensor.decode(vc + lo, n, scale: vs[block], into: vt, secondMap)
        } else {
          vt.initialize(repeating: 0, count: n)
        }
        let (p, g) = load(b, lo, n, into: pt, gt, before)
        for i in 0..<n { kernel.update(&p[i], g[i], &mt[i], &vt[i]) }
        store(b, lo, n, from: p, before, stream: stream)
        ms[block] = QuantisedTensor.encode(mt, n, into: mc + lo, firstMap)
        if K.keepsSecondMoment { vs[block] = QuantisedTensor.encode(vt, n, into: vc + lo, secondMap) }
        lo += n
      }
    }
  }

  /// Whether `b`'s parameters are `Float`s read and written where they lie.
  @inlinable @inline(__always)
  static func inPlace<S: ParameterScalar, Map: GradientMap>(_ b: Block<S, Map>) -> Bool {
    S.self == Float.self && Map.self == IdentityGradientMap.self
  }

  /// The `n` parameters and mapped gradients from `lo`, as `Float` arrays:
  /// `b`'s own memory when ``inPlace(_:)``, else the scratch `pt` and `gt`
  /// (and a copy in `before` of parameters wider than `Float`).
  @inlinable @inline(__always)
  static func load<S: ParameterScalar, Map: GradientMap>(
    _ b: Block<S, Map>, _ lo: Int, _ n: Int, into pt: UnsafeMutablePointer<Float>, _ gt: UnsafeMutablePointer<Float>,
    _ before: UnsafeMutablePointer<Float>
  ) -> (UnsafeMutablePointer<Float>, UnsafePointer<Float>) {
    if inPlace(b) {
      return (UnsafeMutableRawPointer(b.p + lo).assumingMemoryBound(to: Float.self),
              UnsafeRawPointer(b.rawGradient + lo).assumingMemoryBound(to: Float.self))
    }
    if S.self == BFloat16.self && Map.self == IdentityGradientMap.self {
      optimisers_bfloat16_widen(pt, UnsafeRawPointer(b.p + lo).assumingMemoryBound(to: UInt16.self), n)
      optimisers_bfloat16_widen(gt, UnsafeRawPointer(b.rawGradient + lo).assumingMemoryBound(to: UInt16.self), n)
      return (pt, UnsafePointer(gt))
    }
    for i in 0..<n {
      pt[i] = ScalarConversion.float(b.p[lo + i])
      gt[i] = ScalarConversion.float(b.gradient(lo + i))
    }
    if MemoryLayout<S>.size > MemoryLayout<Float>.size { before.update(from: pt, count: n) }
    return (pt, UnsafePointer(gt))
  }

  /// Writes the updated parameters `p` back into `b` from `lo`: wider
  /// parameters (Double) keep their precision by adding the update, computed
  /// in `Float`; narrower ones are rounded to nearest or stochastically with
  /// the counter-based bits of their position.
  @inlinable @inline(__always)
  static func store<S: ParameterScalar, Map: GradientMap>(
    _ b: Block<S, Map>, _ lo: Int, _ n: Int, from p: UnsafeMutablePointer<Float>, _ before: UnsafeMutablePointer<Float>,
    stream: UInt64?
  ) {
    if inPlace(b) { return }
    let target = b.p + lo
    if MemoryLayout<S>.size > MemoryLayout<Float>.size {
      for i in 0..<n { target[i] += S(p[i] - before[i]) }
    } else if S.self == BFloat16.self {
      let bits = UnsafeMutableRawPointer(target).assumingMemoryBound(to: UInt16.self)
      if let stream {
        optimisers_bfloat16_narrow_stochastic(bits, p, n, stream, b.offset + lo)
      } else {
        optimisers_bfloat16_narrow(bits, p, n)
      }
    } else if let stream {
      for i in 0..<n { target[i] = ScalarConversion.stochastic(p[i], CounterRandom.bits(stream, b.offset + lo + i)) }
    } else {
      for i in 0..<n { target[i] = ScalarConversion.nearest(p[i]) }
    }
  }
}
