import Optimisers
import Testing

@Suite struct AdafactorTests {
  /// A [64, 32] matrix keeps 64 + 32 statistics, a vector a full second moment.
  @Test func matricesKeepOneStatisticPerRowAndColumn() {
    let model = AffineModel<Float>(weight: .zeros([64, 32]), bias: .zeros([32]))
    let state = Adafactor<AffineModel<Float>>().initialState(for: model)
    #expect(state.statistics[0].rows.shape == [1, 64])
    #expect(state.statistics[0].columns.shape == [1, 32])
    #expect(state.statistics[0].full.scalarCount == 0)
    #expect(state.statistics[1].full.shape == [32])
    #expect(state.statistics[1].rows.scalarCount == 0 && state.statistics[1].columns.scalarCount == 0)
    // optax's default threshold leaves a 64 × 32 matrix unfactored.
    let optax = Adafactor<AffineModel<Float>>(learningRate: nil, minimumSizeToFactor: 128, variant: .optax)
    #expect(optax.initialState(for: model).statistics[0].full.shape == [64, 32])
  }

  /// Runs `rule` for a few steps on one leaf and on the leaves given by
  /// `slices`, which must each be updated exactly as the matching part of the
  /// leaf when the update has no whole-leaf reductions (no parameter scale, no
  /// clipping).
  func checkSlices<S: ParameterScalar>(
    _ rule: (any Optimiser<Tensor<S>>, any Optimiser<AffineModel<S>>), shape: [Int],
    slice: ([S], Int) -> [S], sliceShape: [Int], seed: UInt64
  ) {
    var random = SplitMix64(seed: seed)
    let start: Tensor<S> = random.tensor(shape)
    let gradients: [Tensor<S>] = (0..<5).map { _ in random.tensor(shape) }
    func part(_ t: Tensor<S>, _ k: Int) -> Tensor<S> { Tensor(shape: sliceShape, scalars: slice(t.scalars, k)) }
    let whole = run(rule.0, start, gradients)
    let parts = run(
      rule.1, AffineModel(weight: part(start, 0), bias: part(start, 1)),
      gradients.map { g in Tangent(leaves: [part(g, 0), part(g, 1)]) })
    #expect(part(whole, 0).bitPatternsEqual(parts.weight))
    #expect(part(whole, 1).bitPatternsEqual(parts.bias))
  }

  func run<O: Optimiser>(_ rule: O, _ start: O.Params, _ gradients: [O.Params.TangentVector]) -> O.Params {
    var p = start
    var state = rule.initialState(for: p)
    for g in gradients { rule.update(&state, &p, g) }
    return p
  }

  /// PyTorch factors the last two axes of a rank-3 leaf and treats the first as
  /// a batch of matrices.
  @Test func pytorchFactorsTheLastTwoAxesOfEachBatchEntry() {
    func rules<P: Differentiable>(_: P.Type) -> Adafactor<P> {
      Adafactor<P>(learningRate: 0.05, clippingThreshold: nil, multiplyByParameterScale: false)
    }
    checkSlices(
      (rules(Tensor<Double>.self), rules(AffineModel<Double>.self)), shape: [2, 3, 4],
      slice: { scalars, k in Array(scalars[(k * 12)..<(k * 12 + 12)]) }, sliceShape: [3, 4], seed: 11)
  }

  /// optax factors the two largest axes; in a [3, 2, 4] leaf they are the
  /// first and the last, and the middle axis is the batch.
  @Test func optaxFactorsTheTwoLargestAxes() {
    func rules<P: Differentiable>(_: P.Type) -> Adafactor<P> {
      Adafactor<P>(learningRate: 0.05, clippingThreshold: nil, multiplyByParameterScale: false, variant: .optax)
    }
    checkSlices(
      (rules(Tensor<Float>.self), rules(AffineModel<Float>.self)), shape: [3, 2, 4],
      slice: { scalars, k in (0..<3).flatMap { i in (0..<4).map { j in scalars[(i * 2 + k) * 4 + j] } } },
      sliceShape: [3, 4], seed: 12)
  }

  /// For optax the factoring does not depend on which axis is longer: a matrix
  /// and its transpose get transposed updates (without the whole-leaf RMS
  /// reductions, whose summation order would differ).
  @Test func optaxTreatsAMatrixAndItsTransposeAlike() {
    let rule = Adafactor<Tensor<Double>>(
      learningRate: 0.05, clippingThreshold: nil, multiplyByParameterScale: false, variant: .optax)
    var random = SplitMix64(seed: 13)
    let start: Tensor<Double> = random.tensor([5, 3])
    let gradients: [Tensor<Double>] = (0..<5).map { _ in random.tensor([5, 3]) }
    let tall = run(rule, start, gradients)
    let wide = run(rule, start.transposed(), gradients.map { $0.transposed() })
    #expect(tall.transposed().bitPatternsEqual(wide))
  }

  @Test func validateNamesTheLeafAndBothShapes() {
    let rule = Adafactor<Tensor<Double>>()
    let state = rule.initialState(for: .zeros([4, 5]))
    #expect(throws: OptimiserError.shapeMismatch(buffer: "statistics.rows", leaf: "value", expected: [1, 5], found: [1, 4])) {
      try rule.validate(state, for: .zeros([5, 4]))
    }
  }

  @Test func momentumIsAnOptaxOption() async {
    var rule = Adafactor<Double>(variant: .optax)
    rule.momentum = 0.9
    #expect(throws: Never.self) { try rule.validateHyperparameters() }
    await #expect(processExitsWith: .failure) { _ = Adafactor<Double>(momentum: 0.9) }
  }
}
