#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Optimisers
import Synchronization
import Testing

/// Any number of tensor leaves: a vector space and its own parameters, for the
/// walk's tests.
struct ManyLeaves<S: ParameterScalar>: VectorSpace, Differentiable {
  typealias Scalar = S
  typealias TangentVector = ManyLeaves
  var leaves: [Tensor<S>]

  static var zero: ManyLeaves { ManyLeaves(leaves: []) }
  static func + (lhs: ManyLeaves, rhs: ManyLeaves) -> ManyLeaves {
    ManyLeaves(leaves: zip(lhs.leaves, rhs.leaves).map { $0 + $1 })
  }
  static func - (lhs: ManyLeaves, rhs: ManyLeaves) -> ManyLeaves {
    ManyLeaves(leaves: zip(lhs.leaves, rhs.leaves).map { $0 - $1 })
  }
  static func * (lhs: S, rhs: ManyLeaves) -> ManyLeaves { ManyLeaves(leaves: rhs.leaves.map { lhs * $0 }) }

  var leafCount: Int { leaves.count }
  func leafShape(at index: Int) -> [Int] { leaves[index].shape }
  func withLeaf<R>(at index: Int, _ body: (UnsafeBufferPointer<S>) throws -> R) rethrows -> R {
    try leaves[index].withUnsafeBufferPointer(body)
  }
  mutating func withMutableLeaf<R>(at index: Int, _ body: (UnsafeMutableBufferPointer<S>) throws -> R) rethrows -> R {
    try leaves[index].withUnsafeMutableBufferPointer(body)
  }
  func withTensorLeaves<R>(
    _ addresses: UnsafeMutableBufferPointer<UnsafePointer<Tensor<S>>>, _ body: () throws -> R
  ) rethrows -> R? {
    try leaves.withUnsafeBufferPointer { tensors in
      for index in tensors.indices { addresses[index] = tensors.baseAddress! + index }
      return try body()
    }
  }
  mutating func withMutableTensorLeaves<R>(
    _ addresses: UnsafeMutableBufferPointer<UnsafeMutablePointer<Tensor<S>>>, _ body: () throws -> R
  ) rethrows -> R? {
    try leaves.withUnsafeMutableBufferPointer { tensors in
      for index in tensors.indices { addresses[index] = tensors.baseAddress! + index }
      return try body()
    }
  }

  var zeroTangentVector: ManyLeaves { ManyLeaves(leaves: leaves.map { Tensor.zeros($0.shape) }) }
  mutating func move(by offset: ManyLeaves) { self = self + offset }
}

/// The same leaves, seen only through `withMutableLeaf(at:)`: the walk's general,
/// leaf-by-leaf path.
struct OpaqueLeaves<S: ParameterScalar>: VectorSpace, Differentiable {
  typealias Scalar = S
  typealias TangentVector = OpaqueLeaves
  var inner: ManyLeaves<S>

  static var zero: OpaqueLeaves { OpaqueLeaves(inner: .zero) }
  static func + (lhs: OpaqueLeaves, rhs: OpaqueLeaves) -> OpaqueLeaves { OpaqueLeaves(inner: lhs.inner + rhs.inner) }
  static func - (lhs: OpaqueLeaves, rhs: OpaqueLeaves) -> OpaqueLeaves { OpaqueLeaves(inner: lhs.inner - rhs.inner) }
  static func * (lhs: S, rhs: OpaqueLeaves) -> OpaqueLeaves { OpaqueLeaves(inner: lhs * rhs.inner) }
  var leafCount: Int { inner.leafCount }
  func leafShape(at index: Int) -> [Int] { inner.leafShape(at: index) }
  func withLeaf<R>(at index: Int, _ body: (UnsafeBufferPointer<S>) throws -> R) rethrows -> R {
    try inner.withLeaf(at: index, body)
  }
  mutating func withMutableLeaf<R>(at index: Int, _ body: (UnsafeMutableBufferPointer<S>) throws -> R) rethrows -> R {
    try inner.withMutableLeaf(at: index, body)
  }
  var zeroTangentVector: OpaqueLeaves { OpaqueLeaves(inner: inner.zeroTangentVector) }
  mutating func move(by offset: OpaqueLeaves) { inner.move(by: offset.inner) }
}

/// Random leaf sizes: some far above the block size, some tiny, some empty.
func randomSizes(_ generator: inout SplitMix64, leaves: Int, largest: Int) -> [Int] {
  (0..<leaves).map { _ in
    switch generator.next() % 4 {
    case 0: return Int(generator.next() % 4)
    case 1: return Int(generator.next() % 40) + 1
    default: return Int(generator.next() % UInt64(largest)) + 1
    }
  }
}

func randomLeaves<S: ParameterScalar>(_: S.Type, sizes: [Int], seed: UInt64) -> [Tensor<S>] {
  sizes.enumerated().map { index, size in Tensor(randomNormal: [size], seed: seed &+ UInt64(index)) }
}

/// An identifier of the calling thread.
func currentThreadID() -> UInt {
  #if canImport(Darwin)
  UInt(bitPattern: pthread_self())
  #else
  UInt(pthread_self())
  #endif
}

/// Settings that split work into tiny blocks, so small tests exercise splitting.
let splitting = Parallelism(maximumThreads: 2, minimumParallelScalars: 0, blockScalars: 37)

@Suite struct LeafWalkTests {
  @Test(arguments: [UInt64(1), 2, 3])
  func threadedWalkIsBitwiseIdenticalToSerialWalk(seed: UInt64) {
    var generator = SplitMix64(seed: seed)
    let sizes = randomSizes(&generator, leaves: 12, largest: 900)
    check(Float.self, sizes: sizes, seed: seed, blockScalars: Int(generator.next() % 200) + 1)
    check(Double.self, sizes: sizes, seed: seed, blockScalars: Int(generator.next() % 200) + 1)

    func check<S: ParameterScalar>(_: S.Type, sizes: [Int], seed: UInt64, blockScalars: Int) {
      let params = ManyLeaves<S>(leaves: randomLeaves(S.self, sizes: sizes, seed: seed))
      let gradient = ManyLeaves<S>(leaves: randomLeaves(S.self, sizes: sizes, seed: seed &+ 100))
      let optimiser = Adam<ManyLeaves<S>>(learningRate: 0.01)
      func run(_ setting: Parallelism) -> (ManyLeaves<S>, Adam<ManyLeaves<S>>.State) {
        Parallelism.$current.withValue(setting) {
          var model = params
          var state = optimiser.initialState(for: model)
          for _ in 0..<3 { optimiser.update(&state, &model, gradient) }
          return (model, state)
        }
      }
      let (serialModel, serialState) = run(.serial)
      let (threadedModel, threadedState) = run(
        Parallelism(maximumThreads: 2, minimumParallelScalars: 0, blockScalars: blockScalars))
      #expect(serialModel.bitPatternsEqual(threadedModel))
      #expect(serialState.firstMoment.bitPatternsEqual(threadedState.firstMoment))
      #expect(serialState.secondMoment.bitPatternsEqual(threadedState.secondMoment))
      #expect(!serialModel.bitPatternsEqual(params))
    }
  }

  @Test func fusedChainsAreBitwiseIdenticalWhenSplit() {
    let start = AffineModel<Float>(weight: Tensor(randomNormal: [37, 41], seed: 1), bias: Tensor(randomNormal: [37], seed: 2))
    let gradient = Tangent<AffineModel<Float>>(leaves: [Tensor(randomNormal: [37, 41], seed: 3), Tensor(randomNormal: [37], seed: 4)])
    let optimiser = Chain(ClipGlobalNorm(1.0), ClipValue(0.02), WeightDecay(1e-2), Adam<AffineModel<Float>>(learningRate: 0.1))
    func run(_ setting: Parallelism) -> AffineModel<Float> {
      Parallelism.$current.withValue(setting) {
        var params = start
        var state = optimiser.initialState(for: params)
        for _ in 0..<3 { optimiser.update(&state, &params, gradient) }
        return params
      }
    }
    let serial = run(.serial)
    #expect(serial.parametersBitwiseEqual(run(splitting)))
    #expect(!serial.parametersBitwiseEqual(start))
  }

  @Test func everyScalarIsVisitedOnceWithItsLeafIndex() {
    var generator = SplitMix64(seed: 7)
    let sizes = randomSizes(&generator, leaves: 40, largest: 300)
    var model = ManyLeaves<Double>(leaves: sizes.map { Tensor.zeros([$0]) })
    var velocity = model.zeroTangentVector
    let gradient = ManyLeaves<Double>(leaves: sizes.map { Tensor(repeating: 1, shape: [$0]) })
    let largestBlock = Mutex(0)
    Parallelism.$current.withValue(splitting) {
      LeafWalk.forEachLeaf(&model, gradient, &velocity) { leaf, p, g, v in
        largestBlock.withLock { $0 = max($0, p.count) }
        for i in 0..<p.count {
          p[i] += Double(leaf + 1) * g[i]
          v[i] += 1
        }
      }
    }
    #expect(sizes.max()! > splitting.blockScalars)
    #expect(largestBlock.withLock { $0 } <= splitting.blockScalars)
    for (leaf, size) in sizes.enumerated() {
      #expect(model.leaves[leaf].scalars == Array(repeating: Double(leaf + 1), count: size))
      #expect(velocity.leaves[leaf].scalars == Array(repeating: 1, count: size))
    }
  }

  @Test func fastPathMatchesTheLeafByLeafPath() {
    var generator = SplitMix64(seed: 11)
    let sizes = randomSizes(&generator, leaves: 9, largest: 500)
    let start = ManyLeaves<Float>(leaves: randomLeaves(Float.self, sizes: sizes, seed: 3))
    let gradient = ManyLeaves<Float>(leaves: randomLeaves(Float.self, sizes: sizes, seed: 4))
    var fast = start, fastM = start.zeroTangentVector, fastV = start.zeroTangentVector
    var slow = OpaqueLeaves(inner: start), slowM = slow.zeroTangentVector, slowV = slow.zeroTangentVector
    for _ in 0..<2 {
      Parallelism.$current.withValue(splitting) {
        LeafWalk.forEachLeaf(&fast, gradient, &fastM, &fastV) { _, p, g, m, v in
          for i in 0..<p.count {
            m[i] = 0.9 * m[i] + g[i]
            v[i] = 0.5 * v[i] + g[i] * g[i]
            p[i] -= 0.1 * m[i] / (Float.squareRoot(of: v[i]) + 1e-3)
          }
        }
        LeafWalk.forEachLeaf(&slow, OpaqueLeaves(inner: gradient), &slowM, &slowV) { _, p, g, m, v in
          #expect(p.count == g.count)
          for i in 0..<p.count {
            m[i] = 0.9 * m[i] + g[i]
            v[i] = 0.5 * v[i] + g[i] * g[i]
            p[i] -= 0.1 * m[i] / (Float.squareRoot(of: v[i]) + 1e-3)
          }
        }
      }
    }
    #expect(fast.bitPatternsEqual(slow.inner))
    #expect(fastM.bitPatternsEqual(slowM.inner) && fastV.bitPatternsEqual(slowV.inner))
    #expect(!fast.bitPatternsEqual(start))
  }

  @Test func modelsWithScalarFieldsTakeTheGeneralPathAndAgree() {
    let model = NestedModel(
      inner: AffineModel(weight: Tensor(randomNormal: [40, 40], seed: 1), bias: Tensor(randomNormal: [40], seed: 2)),
      scale: 0.5, extra: Tensor(randomNormal: [600], seed: 3))
    var gradient = model.zeroTangentVector
    gradient[\.inner.weight] = Tensor(randomNormal: [40, 40], seed: 4)
    gradient[\.scale] = 0.25
    gradient[\.extra] = Tensor(randomNormal: [600], seed: 5)
    let optimiser = Adam<NestedModel>(learningRate: 0.1)
    func run(_ setting: Parallelism) -> NestedModel {
      Parallelism.$current.withValue(setting) {
        var m = model
        var state = optimiser.initialState(for: m)
        for _ in 0..<2 { optimiser.update(&state, &m, gradient) }
        return m
      }
    }
    let serial = run(.serial)
    #expect(serial.parametersBitwiseEqual(run(splitting)))
    // Adam's first step moves every parameter with a non-zero gradient by about η.
    #expect(abs(serial.scale - model.scale + 0.2) < 1e-6)
  }

  @Test func tensorModelsUseOneAddressPerLeaf() {
    var model = AffineModel<Float>(weight: .zeros([3, 4]), bias: .zeros([3]))
    let addresses = UnsafeMutableBufferPointer<UnsafeMutablePointer<Tensor<Float>>>.allocate(capacity: 2)
    defer { addresses.deallocate() }
    let shapes = model.withMutableParameterTensorLeaves(addresses) { [addresses[0].pointee.shape, addresses[1].pointee.shape] }
    #expect(shapes == [[3, 4], [3]])
    var nested = NestedModel(
      inner: AffineModel(weight: .zeros([1, 1]), bias: .zeros([1])), scale: 0, extra: .zeros([1]))
    let nestedAddresses = UnsafeMutableBufferPointer<UnsafeMutablePointer<Tensor<Double>>>.allocate(capacity: 4)
    defer { nestedAddresses.deallocate() }
    #expect(nested.withMutableParameterTensorLeaves(nestedAddresses) { true } == nil)
  }

  @Test func wholeLeafWalkSeesCompleteLeavesInOrder() {
    var generator = SplitMix64(seed: 5)
    let sizes = randomSizes(&generator, leaves: 30, largest: 400)
    var model = ManyLeaves<Float>(leaves: sizes.map { Tensor.zeros([$0]) })
    let gradient = model.zeroTangentVector
    var seen: [(Int, Int)] = []
    Parallelism.$current.withValue(splitting) {
      LeafWalk.forEachWholeLeaf(&model, gradient) { leaf, p, _ in seen.append((leaf, p.count)) }
    }
    #expect(seen.map(\.0) == Array(0..<sizes.count))
    #expect(seen.map(\.1) == sizes)
  }

  @Test func threadCapIsRespected() {
    let sizes = Array(repeating: 500, count: 40)
    var model = ManyLeaves<Float>(leaves: sizes.map { Tensor.zeros([$0]) })
    let gradient = model.zeroTangentVector
    for cap in [1, 2, 3] {
      let threads = Mutex<Set<UInt>>([])
      let setting = Parallelism(maximumThreads: cap, minimumParallelScalars: 0, blockScalars: 16)
      Parallelism.$current.withValue(setting) {
        LeafWalk.forEachLeaf(&model, gradient) { _, p, _ in
          let me = currentThreadID()
          threads.withLock { _ = $0.insert(me) }
          for i in 0..<p.count { p[i] += 1 }
        }
      }
      let used = threads.withLock { $0 }
      #expect(used.count >= 1 && used.count <= cap)
      if cap == 1 { #expect(used == [currentThreadID()]) }
    }
    #expect(model.leaves.allSatisfy { $0.scalars.allSatisfy { $0 == 3 } })
  }

  @Test func settingIsScopedToTheTask() {
    let outside = Parallelism.current
    Parallelism.$current.withValue(.serial) { #expect(Parallelism.current.maximumThreads == 1) }
    #expect(Parallelism.current == outside)
    #expect(Parallelism.processorCount >= 1)
    #expect(Parallelism().maximumThreads == Parallelism.processorCount)
  }

  @Test func pureFormUpdatesBuffersInPlace() {
    let optimiser = Adam<AffineModel<Float>>(learningRate: 0.1)
    var model = AffineModel<Float>(weight: Tensor(randomNormal: [30, 40], seed: 1), bias: Tensor(randomNormal: [30], seed: 2))
    var state = optimiser.initialState(for: model)
    let gradient = Tangent<AffineModel<Float>>(leaves: [Tensor(randomNormal: [30, 40], seed: 3), .zeros([30])])
    optimiser.update(&state, &model, gradient)  // the moments now have buffers of their own
    func address(_ t: Tensor<Float>) -> UnsafePointer<Float>? { t.withUnsafeBufferPointer { $0.baseAddress } }
    let before = (address(model.weight), address(state.firstMoment.leaves[0]), address(state.secondMoment.leaves[0]))
    (state, model) = optimiser.update(consume state, consume model, gradient)
    let after = (address(model.weight), address(state.firstMoment.leaves[0]), address(state.secondMoment.leaves[0]))
    #expect(before == after)
  }

  @Test func mismatchedGradientShapeStopsWithBothShapes() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var model = AffineModel<Double>(weight: .zeros([2, 3]), bias: .zeros([2]))
      let gradient = Tangent<AffineModel<Double>>(leaves: [.zeros([3, 2]), .zeros([2])])
      LeafWalk.forEachLeaf(&model, gradient) { _, _, _ in }
    }
    let message = String(decoding: result.standardErrorContent, as: UTF8.self)
    #expect(message.contains("weight") && message.contains("[3, 2]") && message.contains("[2, 3]"))
  }
}
