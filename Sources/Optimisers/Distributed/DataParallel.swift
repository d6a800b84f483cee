/// Data parallelism: every rank computes a gradient on its own part of the
/// batch, and the rule steps with their average, the same on every rank.
///
/// ```swift
/// let optimiser = DataParallel(Adam<Model>(learningRate: 1e-3), over: collective)
/// // each rank: the gradient of its half of the batch
/// optimiser.update(&state, &model, localGradient)   // every rank: the same step
/// ```
///
/// With N ranks and gᵣ rank *r*'s gradient, each step
///
///     ḡ ← (g₀ + g₁ + … + g_{N−1}) / N        (summed as the collective sums)
///     (s, p) ← rule(s, p, ḡ)
///
/// The gradient is flattened in leaf order and all-reduced in ``buckets``
/// ranges of equal size, one after the other, so the result depends on the
/// ranks' gradients only, never on timing. When each rank's gradient is the
/// mean over an equal share of the batch, ḡ is the full batch's mean gradient
/// (up to rounding).
///
/// ## Composing
/// Put it outermost: everything inside sees the averaged gradient, identical
/// on every rank, so every rank makes the same decisions.
/// `DataParallel(Chain(ClipGlobalNorm(1), Adam()), over: c)` clips by the
/// averaged gradient's norm; `DataParallel(SkipNonFinite(Adam()), over: c)`
/// skips on every rank when any rank's gradient holds NaN or ±∞ (their sum
/// does); `Accumulate(DataParallel(…))` averages once per accumulated step.
/// The state is the rule's own, so checkpoints equal a single process's.
///
/// - Complexity: Per step, O(*n*) copies plus one all-reduce of *n* scalars
///   (2(N − 1)/N · *n* scalars sent per rank with a ring), then the rule's step.
/// - References: Sergeev and Del Balso, *Horovod: fast and easy distributed
///   deep learning in TensorFlow*, 2018 (averaged gradients, tensor fusion
///   buckets); Li et al., *PyTorch Distributed: Experiences on Accelerating
///   Data Parallel Training*, VLDB 2020 (DDP's gradient buckets).
public struct DataParallel<Rule: Optimiser, Group: Collective>: Optimiser, DistributedWrapper {
  /// The parameters of the rule.
  public typealias Params = Rule.Params
  /// The rule's state, unchanged.
  public typealias State = Rule.State

  /// The rule stepped with the averaged gradient.
  public var rule: Rule
  /// The ranks that average.
  public let collective: Group
  /// How many ranges the flat gradient is all-reduced in, ≥ 1 (4); smaller
  /// buckets need a smaller scratch buffer.
  public let buckets: Int

  /// Creates the wrapper.
  ///
  /// - Parameters:
  ///   - rule: The rule to step with the averaged gradient.
  ///   - collective: This rank's collective.
  ///   - buckets: The number of all-reduce ranges, ≥ 1; default 4.
  /// - Precondition: `buckets` ≥ 1.
  /// - Complexity: O(1).
  @inlinable public init(_ rule: Rule, over collective: Group, buckets: Int = 4) {
    precondition(buckets >= 1, "DataParallel needs at least one bucket, not \(buckets)")
    self.rule = rule
    self.collective = collective
    self.buckets = buckets
  }

  /// The rule's initial state.
  ///
  /// - Complexity: As the rule's.
  @inlinable public func initialState(for params: Params) -> State { rule.initialState(for: params) }

  /// Averages the gradient across ranks, then steps the rule.
  ///
  /// - Complexity: O(*n*) plus one all-reduce and the rule's step.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector,
    preprocessing map: Map
  ) {
    rule.update(&state, &params, averaged(gradient, params), preprocessing: map)
  }

  /// The mean of every rank's `gradient`, the same bits on every rank.
  ///
  /// - Complexity: O(*n*) plus one all-reduce of *n* scalars.
  @inlinable
  public func averaged(_ gradient: Params.TangentVector, _ params: Params) -> Params.TangentVector {
    var result = gradient.leafCount == 0 ? params.zeroTangentVector : gradient
    if gradient.leafCount != 0 { LeafWalk.checkShapes(of: params, gradient, role: "gradient") }
    let flat = FlatLeaves(params), total = flat.total, ranks = collective.size
    let width = (total + buckets - 1) / Swift.max(buckets, 1)
    var scratch = [Params.TangentVector.Scalar](repeating: 0, count: Swift.max(width, 1))
    let divisor = Params.TangentVector.Scalar(ranks)
    var start = 0
    while start < total {
      let range = start..<Swift.min(start + width, total)
      scratch.withUnsafeMutableBufferPointer { buffer in
        let bucket = UnsafeMutableBufferPointer(rebasing: buffer[0..<range.count])
        flat.copy(result, range, into: bucket)
        collective.allReduceSum(bucket)
        for i in bucket.indices { bucket[i] /= divisor }
        flat.write(UnsafeBufferPointer(bucket), range, into: &result)
      }
      start = range.upperBound
    }
    return result
  }

  /// The rule's check.
  ///
  /// - Throws: What the rule throws.
  /// - Complexity: As the rule's.
  @inlinable public func validate(_ state: State, for params: Params) throws(OptimiserError) {
    try rule.validate(state, for: params)
  }

  /// The rule's check.
  ///
  /// - Throws: What the rule throws.
  /// - Complexity: O(1).
  @inlinable public func validateHyperparameters() throws(OptimiserError) { try rule.validateHyperparameters() }

  /// The rule, as checkpoints describe this wrapper.
  public var describedRule: Any { rule }
}
