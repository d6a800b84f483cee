import COptimisers
import Dispatch

/// The vector work of the objective-driven optimisers on flat buffers: dot
/// products, fused `axpy`-and-dot passes and reductions, split into fixed blocks
/// that may run on several threads.
///
/// ## Determinism
/// A buffer of *n* scalars is cut into blocks of ``blockScalars`` scalars, a
/// size that does not depend on ``Parallelism``. Inside a block a reduction
/// uses eight partial sums (element *i* goes to sum *i* mod 8, combined as
/// ((s₀ + s₁) + (s₂ + s₃)) + ((s₄ + s₅) + (s₆ + s₇)), the tail added in index
/// order), and the block results are added in block order on the calling
/// thread. Every result is therefore bitwise the same for every thread count;
/// only the time changes. Below eight scalars this is the plain left-to-right
/// sum.
///
/// - Complexity: O(*n*) per call, one pass over each operand.
/// - References: Higham, *The Accuracy of Floating Point Summation*, SIAM J.
///   Sci. Comput., 1993 (blocked summation).
@usableFromInline
enum FlatKernels {
  /// Scalars per block: 2¹⁴, fixed so that sums do not depend on the threads.
  @usableFromInline static var blockScalars: Int { 1 << 14 }

  /// Runs `body(lo, hi)` on every block of `0..<count` and returns the block
  /// results summed in block order; uses threads when ``Parallelism/current``
  /// allows it for `count` scalars.
  @inlinable
  static func blockwise(_ count: Int, _ body: @Sendable (Int, Int) -> Double) -> Double {
    blockwise(count, zero: 0, combine: +, body)
  }

  /// Runs `body(lo, hi)` on every block of `0..<count` and folds the block
  /// results with `combine` in block order, starting from `zero`.
  @inlinable
  static func blockwise<R>(
    _ count: Int, zero: R, combine: (R, R) -> R, _ body: @Sendable (Int, Int) -> R
  ) -> R {
    let block = blockScalars
    if count <= block { return count == 0 ? zero : combine(zero, body(0, count)) }
    let blocks = (count + block - 1) / block
    let setting = count >= 1024 ? Parallelism.current : .serial
    if setting.maximumThreads == 1 || count < setting.minimumParallelScalars {
      var total = zero
      for b in 0..<blocks { total = combine(total, body(b * block, min(count, (b + 1) * block))) }
      return total
    }
    return withUnsafeTemporaryAllocation(of: R.self, capacity: blocks) { partial in
      let results = SendableAddress(partial.baseAddress!)
      DispatchQueue.concurrentPerform(iterations: blocks) { b in
        (results.base + b).initialize(to: body(b * block, min(count, (b + 1) * block)))
      }
      var total = zero
      for b in 0..<blocks { total = combine(total, (results.base + b).move()) }
      return total
    }
  }

  /// Σᵢ aᵢ bᵢ, each block summed in `order` (`optimisers_fused_dot`).
  @inlinable
  static func dot<S: ParameterScalar>(
    _ a: UnsafePointer<S>, _ b: UnsafePointer<S>, _ count: Int, order: ReductionOrder = .blocked
  ) -> Double {
    let a = SendableAddress(UnsafeMutablePointer(mutating: a)), b = SendableAddress(UnsafeMutablePointer(mutating: b))
    return blockwise(count) { lo, hi in
      if S.self == Double.self {
        return optimisers_fused_dot(a.double + lo, b.double + lo, hi - lo, order.rawValue)
      } else if S.self == Float.self {
        return optimisers_fused_dotf(a.float + lo, b.float + lo, hi - lo, order.rawValue)
      }
      var total: S = 0
      for i in lo..<hi { total.addProduct(a.base[i], b.base[i]) }
      return Double(total)
    }
  }

  /// Σᵢ xᵢ² in XLA's order for `optax.tree.norm(x, squared=True)` (see
  /// `optimisers_xla_squared_norm`); block results added in block order.
  @inlinable
  static func squaredNormXLA<S: ParameterScalar>(_ x: [S]) -> Double {
    guard !x.isEmpty else { return 0 }
    return x.withUnsafeBufferPointer { buffer in
      let x = SendableAddress(UnsafeMutablePointer(mutating: buffer.baseAddress!))
      return blockwise(buffer.count) { lo, hi in
        if S.self == Double.self { return optimisers_xla_squared_norm(x.double + lo, hi - lo) }
        if S.self == Float.self { return optimisers_xla_squared_normf(x.float + lo, hi - lo) }
        var total: S = hi - lo > 1 ? x.base[lo + 1] * x.base[lo + 1] : 0
        total.addProduct(x.base[lo], x.base[lo])
        for i in (lo + 2)..<Swift.max(hi, lo + 2) { total.addProduct(x.base[i], x.base[i]) }
        return Double(total)
      }
    }
  }

  /// yᵢ ← fma(a, xᵢ, yᵢ)·h for every *i*, then returns Σᵢ yᵢ zᵢ over the new
  /// values (0 when `z` is `nil`): one pass for a step of the two-loop
  /// recursion and the dot product the next step needs.
  @inlinable
  static func axpyScaleDot<S: ParameterScalar>(
    _ y: UnsafeMutablePointer<S>, _ a: S, _ x: UnsafePointer<S>, scale h: S,
    dotWith z: UnsafePointer<S>?, _ count: Int, order: ReductionOrder = .blocked
  ) -> Double {
    let y = SendableAddress(y), x = SendableAddress(UnsafeMutablePointer(mutating: x))
    let z = z.map { SendableAddress(UnsafeMutablePointer(mutating: $0)) }
    return blockwise(count) { lo, hi in
      if S.self == Double.self {
        return optimisers_fused_axpy_scale_dot(
          y.double + lo, Double(a), x.double + lo, Double(h), z.map { $0.double + lo }, hi - lo, order.rawValue)
      } else if S.self == Float.self {
        return Double(optimisers_fused_axpy_scale_dotf(
          y.float + lo, Float(a), x.float + lo, Float(h), z.map { $0.float + lo }, hi - lo, order.rawValue))
      }
      var total: S = 0
      for i in lo..<hi {
        let v = y.base[i].addingProduct(a, x.base[i]) * h
        y.base[i] = v
        if let z { total.addProduct(v, z.base[i]) }
      }
      return Double(total)
    }
  }

  /// outᵢ ← xᵢ + a·dᵢ for every *i* (`out` may be `x`), rounded once per
  /// element as fma(a, dᵢ, xᵢ) when `fused` (torch's `x.add_(d, alpha=a)`),
  /// or with the product rounded first, xᵢ + (a·dᵢ), otherwise
  /// (`optax.apply_updates` of a scaled update).
  @inlinable
  static func axpy<S: ParameterScalar>(
    into out: UnsafeMutablePointer<S>, _ x: UnsafePointer<S>, _ a: S, _ d: UnsafePointer<S>, _ count: Int,
    fused: Bool
  ) {
    let out = SendableAddress(out), x = SendableAddress(UnsafeMutablePointer(mutating: x))
    let d = SendableAddress(UnsafeMutablePointer(mutating: d))
    _ = blockwise(count) { lo, hi in
      let o = out.base, xx = x.base, dd = d.base
      if !fused {
        for i in lo..<hi {
          let step = a * dd[i]
          o[i] = xx[i] + step
        }
      } else if S.self == Double.self {
        optimisers_fused_axpy(out.double + lo, x.double + lo, Double(a), d.double + lo, hi - lo)
      } else if S.self == Float.self {
        optimisers_fused_axpyf(out.float + lo, x.float + lo, Float(a), d.float + lo, hi - lo)
      } else {
        for i in lo..<hi { o[i] = xx[i].addingProduct(a, dd[i]) }
      }
      return 0
    }
  }

  /// The new curvature pair in one pass: yᵢ ← gᵢ − pᵢ and sᵢ ← t·dᵢ; returns
  /// (y·s, y·y).
  @inlinable
  static func curvaturePair<S: ParameterScalar>(
    y: UnsafeMutablePointer<S>, s: UnsafeMutablePointer<S>,
    gradient g: UnsafePointer<S>, previous p: UnsafePointer<S>, direction d: UnsafePointer<S>, step t: S,
    _ count: Int, order: ReductionOrder
  ) -> (ys: Double, yy: Double) {
    // The two dot products share the blocks; each is summed in the fixed order.
    let yOut = SendableAddress(y), sOut = SendableAddress(s)
    let g = SendableAddress(UnsafeMutablePointer(mutating: g)), p = SendableAddress(UnsafeMutablePointer(mutating: p))
    let d = SendableAddress(UnsafeMutablePointer(mutating: d))
    _ = blockwise(count) { lo, hi in
      let yy = yOut.base, ss = sOut.base, gg = g.base, pp = p.base, dd = d.base
      for i in lo..<hi {
        yy[i] = gg[i] - pp[i]
        ss[i] = dd[i] * t
      }
      return 0
    }
    return (dot(y, s, count, order: order), dot(y, y, count, order: order))
  }

  /// max |xᵢ|, Σ|xᵢ| (in torch's order for up to five scalars, see below) and
  /// whether every xᵢ is finite, in one pass.
  @inlinable
  static func absoluteSummary<S: ParameterScalar>(_ x: UnsafePointer<S>, _ count: Int) -> AbsoluteSummary {
    let x = SendableAddress(UnsafeMutablePointer(mutating: x))
    return blockwise(count, zero: AbsoluteSummary(max: 0, sum: 0, finite: true), combine: { $0.combined(with: $1) }) {
      lo, hi in
      let xx = x.base
      // Σ|xᵢ| as torch's `abs().sum()` adds small vectors: four partial sums
      // (element i to sum i mod 4), then ((s₀ + s₁) + s₂) + s₃.
      var m: S = 0, s0: S = 0, s1: S = 0, s2: S = 0, s3: S = 0, bad: S = 0
      var i = lo
      while i + 4 <= hi {
        let a0 = abs(xx[i]), a1 = abs(xx[i + 1]), a2 = abs(xx[i + 2]), a3 = abs(xx[i + 3])
        s0 += a0; s1 += a1; s2 += a2; s3 += a3
        bad += (a0 - a0) + (a1 - a1) + (a2 - a2) + (a3 - a3)
        m = Swift.max(m, Swift.max(Swift.max(a0, a1), Swift.max(a2, a3)))
        i += 4
      }
      var lane = 0
      while i < hi {
        let a = abs(xx[i])
        switch lane {
        case 0: s0 += a
        case 1: s1 += a
        default: s2 += a
        }
        lane += 1
        bad += a - a
        m = Swift.max(m, a)
        i += 1
      }
      let total = ((s0 + s1) + s2) + s3
      return AbsoluteSummary(max: Double(m), sum: Double(total), finite: bad == 0)
    }
  }
}

/// A raw address handed to the worker threads of ``FlatKernels``; each thread
/// writes disjoint elements.
@usableFromInline
struct SendableAddress<S>: @unchecked Sendable {
  @usableFromInline let base: UnsafeMutablePointer<S>
  @inlinable init(_ base: UnsafeMutablePointer<S>) { self.base = base }
  /// The address as `Double`s, for a buffer whose scalars are `Double`.
  @inlinable var double: UnsafeMutablePointer<Double> { UnsafeMutableRawPointer(base).assumingMemoryBound(to: Double.self) }
  /// The address as `Float`s, for a buffer whose scalars are `Float`.
  @inlinable var float: UnsafeMutablePointer<Float> { UnsafeMutableRawPointer(base).assumingMemoryBound(to: Float.self) }
}
