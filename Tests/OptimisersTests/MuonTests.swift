import Foundation
import OptimiserLaws
import Optimisers
import Testing

/// Muon against `torch.optim.Muon` and `optax.contrib.muon` (Tests/Fixtures/muon.json),
/// its Newton–Schulz iteration against matrices whose singular vectors are
/// known, its orientation, its thread-count independence on a matrix large
/// enough for the threaded product, and its error for non-matrix leaves.
@Suite struct MuonTests {
  static let cases: [FixtureCase] = (try? Fixtures.load(RuleFixtureFile.self, from: "muon.json").cases) ?? []

  @Test func fixturesAreLoaded() throws {
    let file = try Fixtures.load(RuleFixtureFile.self, from: "muon.json")
    #expect(file.cases.count == 7)
    #expect(Set(file.cases.map { $0.options["variant"] ?? "" }) == ["pytorch", "optax"])
  }

  @Test(arguments: MuonTests.cases) func matchesReference(_ c: FixtureCase) throws {
    #expect(c.trajectory32 != nil, "\(c.name) has a float32 trajectory")
    let (error64, error32) = try ReferenceFixtureTests().errors(c)
    #expect(error64 <= 1e-10, "\(c.name): float64 trajectory differs by \(error64) relative")
    #expect(error32 <= 1e-4, "\(c.name): float32 trajectory differs by \(error32) relative")
  }

  /// The orthogonalised direction of one step from zero parameters with no
  /// momentum or decay: p₁ = −s NS(g), s = 1 for a wide matrix (`.original`)
  /// or 0.2 √max(r, c) for any (`.matchRMSAdamW`).
  static func direction(
    _ g: Tensor<Double>, steps: Int = 5, adjustment: Muon<Tensor<Double>>.LearningRateAdjustment = .original
  ) -> Tensor<Double> {
    let rule = Muon<Tensor<Double>>(
      learningRate: 1, momentum: 0, nesterov: false, weightDecay: 0, steps: steps, adjustment: adjustment)
    var p = Tensor<Double>.zeros(g.shape)
    var state = rule.initialState(for: p)
    rule.update(&state, &p, g)
    return -p
  }

  /// The quintic acting on one singular value: σ ← aσ + bσ³ + cσ⁵.
  static func quintic(_ s: Double, steps: Int) -> Double {
    var s = s
    for _ in 0..<steps { s = 3.4445 * s - 4.7750 * s * s * s + 2.0315 * s * s * s * s * s }
    return s
  }

  @Test func newtonSchulzMapsSingularValuesThroughTheQuintic() {
    // G = U diag(3, 1) Vᵀ with U a rotation by θ and V the first two columns
    // of a rotation of ℝ³ about its third axis by φ, so ‖G‖_F = √10.
    let (theta, phi) = (0.3, 1.1)
    let u = [[cos(theta), -sin(theta)], [sin(theta), cos(theta)]]
    let v = [[cos(phi), -sin(phi)], [sin(phi), cos(phi)], [0, 0]]
    func matrix(_ sigma: [Double]) -> [Double] {
      (0..<2).flatMap { i in (0..<3).map { j in (0..<2).reduce(0) { $0 + u[i][$1] * sigma[$1] * v[j][$1] } } }
    }
    let g = Tensor(shape: [2, 3], scalars: matrix([3, 1]))
    let norm = 10.0.squareRoot()
    for steps in [1, 2, 5] {
      let expected = matrix([Self.quintic(3 / norm, steps: steps), Self.quintic(1 / norm, steps: steps)])
      let found = Self.direction(g, steps: steps).scalars
      for (a, b) in zip(found, expected) { #expect(abs(a - b) <= 1e-13, "\(steps) steps: \(found) against \(expected)") }
    }
    // After five steps every singular value lies in the published band around 1.
    for s in [3 / norm, 1 / norm] { #expect((0.6...1.25).contains(Self.quintic(s, steps: 5))) }
  }

  @Test func aTallMatrixIsOrthogonalisedAsItsTranspose() {
    var random = SplitMix64(seed: 5)
    let g: Tensor<Double> = random.tensor([7, 3])
    // The symmetric shape scaling, so that only the orientation differs.
    let tall = Self.direction(g, adjustment: .matchRMSAdamW), wide = Self.direction(g.transposed(), adjustment: .matchRMSAdamW)
    #expect(tall.bitPatternsEqual(wide.transposed()))
  }

  @Test func shapeScalingFollowsEachReferencesOrientation() {
    // One step from zero with g = the 2 × 8 matrix [I 0]: NS keeps its singular
    // vectors, so every variant moves the same entries, scaled by its factor.
    var g = Tensor<Double>.zeros([2, 8])
    g[0, 0] = 1
    g[1, 1] = 1
    func step(_ variant: Muon<Tensor<Double>>.Variant, _ adjustment: Muon<Tensor<Double>>.LearningRateAdjustment, _ g: Tensor<Double>) -> Double {
      let rule = Muon<Tensor<Double>>(
        learningRate: 1, momentum: 0, nesterov: false, weightDecay: 0, adjustment: adjustment, variant: variant)
      var p = Tensor<Double>.zeros(g.shape), state = rule.initialState(for: p)
      rule.update(&state, &p, g)
      return -p.scalars.max(by: { abs($0) < abs($1) })!
    }
    let base = Self.quintic(1 / 2.0.squareRoot(), steps: 5)
    // PyTorch: fan-out = rows; optax: fan-out = columns.
    #expect(abs(step(.pytorch, .original, g) - base) < 1e-12)
    #expect(abs(step(.pytorch, .original, g.transposed()) - 2 * base) < 1e-12)
    #expect(abs(step(.optax, .original, g) - 2 * base) < 1e-6)
    #expect(abs(step(.optax, .original, g.transposed()) - base) < 1e-6)
    #expect(abs(step(.pytorch, .matchRMSAdamW, g) - 0.2 * 8.0.squareRoot() * base) < 1e-12)
  }

  @Test func threadCountDoesNotChangeABit() {
    // 128 × 130: each of the three products per iteration reaches the kernel's
    // threading threshold (2²¹ multiply–adds); two iterations keep it quick in debug builds.
    var random = SplitMix64(seed: 9)
    let start: Tensor<Float> = random.tensor([130, 128])
    let gradients: [Tensor<Float>] = (0..<2).map { _ in random.tensor([130, 128]) }
    func train(_ threads: Int) -> (Tensor<Float>, Tensor<Float>) {
      Parallelism.$current.withValue(Parallelism(maximumThreads: threads, minimumParallelScalars: 0)) {
        let rule = Muon<Tensor<Float>>(learningRate: 0.02, steps: 2)
        var p = start, state = rule.initialState(for: p)
        for g in gradients { rule.update(&state, &p, g) }
        return (p, state.velocity)
      }
    }
    let serial = train(1)
    for threads in [2, 3] {
      let parallel = train(threads)
      #expect(parallel.0.bitPatternsEqual(serial.0) && parallel.1.bitPatternsEqual(serial.1), "\(threads) threads")
    }
  }

  @Test func resumesBitExactlyFromBothCheckpointFormats() throws {
    typealias M = AffineModel<Float>
    let rule = Muon<M>(learningRate: 0.02, weightDecay: 0.05, variant: .optax)
    var random = SplitMix64(seed: 13)
    let model = M(weight: random.tensor([3, 5]), bias: random.tensor([4, 2]))
    try expectResumesBitExactlyFromBothFormats(rule, model, steps: 2, random: &random) { random in
      Tangent(leaves: [random.tensor([3, 5]), random.tensor([4, 2])])
    }
  }

  @Test func nonMatrixLeavesAreRejectedByName() {
    let model = AffineModel<Double>(weight: .zeros([2, 3]), bias: .zeros([2]))
    let rule = Muon<AffineModel<Double>>()
    #expect(throws: OptimiserError.self) { try rule.validate(rule.initialState(for: model), for: model) }
    let matrices = AffineModel<Double>(weight: .zeros([2, 3]), bias: .zeros([4, 1]))
    #expect(throws: Never.self) { try rule.validate(rule.initialState(for: matrices), for: matrices) }
  }
}
