import Foundation
import Optimisers
import Testing

/// The symmetric eigendecomposition and the Householder QR against matrices
/// with known factors (hand-worked, or numpy.linalg.qr 2.4.6 = LAPACK dgeqrf/dorgqr).
@Suite struct LinearAlgebraTests {
  static func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-13) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
  }

  static func identity(_ n: Int) -> [Double] { (0..<(n * n)).map { $0 / n == $0 % n ? 1 : 0 } }

  @Test func eigenOfATwoByTwo() {
    // [[2, 1], [1, 2]]: eigenvalues 3 and 1, eigenvectors (1, 1)/√2 and (1, −1)/√2.
    let e = SymmetricEigen(Tensor<Double>(shape: [2, 2], scalars: [2, 1, 1, 2]))
    #expect(Self.close(e.values, [3, 1]))
    let v = e.vectors, h = 0.5.squareRoot()
    #expect(Self.close([abs(v[0, 0]), abs(v[1, 0]), abs(v[0, 1]), abs(v[1, 1])], [h, h, h, h]))
    #expect(abs(v[0, 0] * v[0, 1] + v[1, 0] * v[1, 1]) < 1e-15)
  }

  @Test func eigenReconstructsARandomSymmetricMatrix() {
    var random = SplitMix64(seed: 21)
    let b: Tensor<Double> = random.tensor([9, 7])
    let a = b.matmul(b.transposed())  // rank 7 of 9: two zero eigenvalues
    let e = SymmetricEigen(a)
    let v = e.vectors
    #expect(zip(e.values, e.values.dropFirst()).allSatisfy { $0 >= $1 })
    #expect(abs(e.values[7]) < 1e-12 && abs(e.values[8]) < 1e-12)
    // V Λ Vᵀ = A and Vᵀ V = I.
    var lambda = Tensor<Double>.zeros([9, 9])
    for i in 0..<9 { lambda[i, i] = e.values[i] }
    #expect(Self.close(v.matmul(lambda).matmul(v.transposed()).scalars, a.scalars, 1e-12))
    #expect(Self.close(v.transposedMatmul(v).scalars, Self.identity(9), 1e-14))
    // The trace is the sum of the eigenvalues.
    #expect(abs(e.values.reduce(0, +) - (0..<9).reduce(0) { $0 + a[$1, $1] }) < 1e-12)
  }

  /// A = U diag(λ) Uᵀ for a random orthogonal U (the Q of a random matrix).
  static func withSpectrum(_ lambda: [Double], seed: UInt64) -> Tensor<Double> {
    var random = SplitMix64(seed: seed)
    let n = lambda.count
    let u = HouseholderQR(random.tensor([n, n]) as Tensor<Double>).q
    var scaled = u
    for i in 0..<n { for j in 0..<n { scaled[i, j] = u[i, j] * lambda[j] } }
    let a = scaled.matmul(u.transposed())
    // Exactly symmetric: the solver reads both triangles.
    var symmetric = a
    for i in 0..<n { for j in 0..<i { symmetric[i, j] = a[j, i] } }
    return symmetric
  }

  /// max |A V − V Λ| / ‖A‖_max and max |Vᵀ V − I|.
  static func residuals(_ a: Tensor<Double>, _ e: SymmetricEigen<Double>) -> (Double, Double) {
    let n = a.shape[0], v = e.vectors, av = a.matmul(v)
    let scale = a.scalars.map(abs).max() ?? 1
    var worst = 0.0
    for i in 0..<n { for j in 0..<n { worst = max(worst, abs(av[i, j] - v[i, j] * e.values[j]) / scale) } }
    let gram = v.transposedMatmul(v).scalars
    let orthogonality = zip(gram, identity(n)).map { abs($0 - $1) }.max() ?? 0
    return (worst, orthogonality)
  }

  @Test func eigenOfDiagonalAndTinyMatrices() {
    let e = SymmetricEigen(Tensor<Double>(shape: [3, 3], scalars: [1, 0, 0, 0, -2, 0, 0, 0, 5]))
    #expect(e.values == [5, 1, -2])
    #expect(e.vectors.scalars.map(abs) == [0, 1, 0, 0, 0, 1, 1, 0, 0])
    let one = SymmetricEigen(Tensor<Double>(shape: [1, 1], scalars: [-4]))
    #expect(one.values == [-4] && one.vectors.scalars.map(abs) == [1])
    let none = SymmetricEigen(Tensor<Double>(shape: [0, 0], scalars: []))
    #expect(none.values.isEmpty && none.vectors.shape == [0, 0])
  }

  static let spectra: [(String, [Double])] = {
    let distinct: [Double] = (0..<40).map { Double(40 - $0) * 0.37 - 3 }
    let counting: [Double] = (0..<10).map { Double($0) }
    let repeated: [Double] = [Double](repeating: 2, count: 15) + [Double](repeating: -1, count: 15) + counting
    let rankFive: [Double] = (1...5).map { Double($0) } + [Double](repeating: 0, count: 35)
    let wide: [Double] = (0..<40).map { 1e-8 * pow(10.0, Double($0) / 3) }
    return [("distinct", distinct), ("repeated", repeated), ("rank 5 of 40", rankFive), ("wide range", wide)]
  }()

  @Test(arguments: LinearAlgebraTests.spectra)
  func eigenRecoversAKnownSpectrum(_ name: String, _ lambda: [Double]) {
    let a = Self.withSpectrum(lambda, seed: 31)
    let e = SymmetricEigen(a)
    let expected = lambda.sorted(by: >), norm = lambda.map(abs).max()!
    for (found, exact) in zip(e.values, expected) {
      #expect(abs(found - exact) <= 1e-13 * norm * 40, "\(name): eigenvalue \(found) against \(exact)")
    }
    let (residual, orthogonality) = Self.residuals(a, e)
    #expect(residual <= 1e-13, "\(name): A V − V Λ is \(residual) relative")
    #expect(orthogonality <= 1e-13, "\(name): Vᵀ V − I is \(orthogonality)")
  }

  @Test func eigenOfAnAlreadyTridiagonalMatrixAndOfAHugeOne() {
    // The 1-2-1 matrix has eigenvalues 2 − 2 cos(kπ/(n + 1)); no reflection is needed.
    let n = 12
    var t = Tensor<Double>.zeros([n, n])
    for i in 0..<n { t[i, i] = 2; if i > 0 { t[i, i - 1] = -1; t[i - 1, i] = -1 } }
    let e = SymmetricEigen(t)
    let exact = (1...n).map { 2 - 2 * cos(Double($0) * .pi / Double(n + 1)) }.sorted(by: >)
    #expect(Self.close(e.values, exact, 1e-14))
    // Entries near 1e200: the squares would overflow, the scaled norms do not.
    let huge = SymmetricEigen(t * 1e200)
    #expect(zip(huge.values, exact).allSatisfy { abs($0 / 1e200 - $1) <= 1e-14 })
    #expect(Self.close(huge.vectors.scalars.map(abs), e.vectors.scalars.map(abs), 1e-14))
  }

  @Test func eigenInFloatHasFloatAccuracy() {
    var random = SplitMix64(seed: 41)
    let b: Tensor<Float> = random.tensor([64, 80])
    let a = b.matmul(b.transposed())
    let e = SymmetricEigen(a), v = e.vectors, av = a.matmul(v)
    let scale = e.values[0]
    for i in 0..<64 { for j in 0..<64 { #expect(abs(av[i, j] - v[i, j] * e.values[j]) <= 1e-5 * scale) } }
    let gram = v.transposedMatmul(v)
    for i in 0..<64 { for j in 0..<64 { #expect(abs(gram[i, j] - (i == j ? 1 : 0)) <= 1e-5) } }
  }

  @Test func qrMatchesLAPACKsSigns() {
    let tall = HouseholderQR(Tensor<Double>(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]))
    #expect(Self.close(tall.q.scalars, [
      -0.16903085094570325, 0.8970852271450607, -0.50709255283711, 0.27602622373694136, -0.8451542547285166,
      -0.34503277967117696,
    ]))
    #expect(Self.close(tall.r.scalars, [-5.916079783099616, -7.437357441610946, 0, 0.828078671210825]))
    let square = HouseholderQR(Tensor<Double>(shape: [3, 3], scalars: [-2, 1, 0, 1, 3, 1, 0, 1, 0.5]))
    #expect(Self.close(square.q.scalars, [
      -0.8944271909999157, -0.4260064336151291, -0.1360827634879543, 0.4472135954999579, -0.8520128672302583,
      -0.2721655269759086, 0, -0.30429030972509225, 0.9525793444156804,
    ]))
    #expect(Self.close(square.r.scalars, [
      2.23606797749979, 0.447213595499958, 0.4472135954999579, 0, -3.2863353450309973, -1.0041580220928044, 0, 0,
      0.20412414523193156,
    ]))
  }

  /// Q·R = A, QᵀQ = I and R upper triangular, to the given tolerances.
  @discardableResult
  static func expectQR(of a: Tensor<Double>, reconstruction: Double, orthogonality: Double) -> HouseholderQR<Double> {
    let f = HouseholderQR(a), n = a.shape[1]
    #expect(close(f.q.matmul(f.r).scalars, a.scalars, reconstruction))
    #expect(close(f.q.transposedMatmul(f.q).scalars, identity(n), orthogonality))
    for i in 0..<n { for j in 0..<i { #expect(f.r[i, j] == 0) } }
    return f
  }

  @Test func qrReconstructsARandomMatrix() {
    var random = SplitMix64(seed: 22)
    let a: Tensor<Double> = random.tensor([8, 5])
    Self.expectQR(of: a, reconstruction: 1e-13, orthogonality: 1e-14)
  }

  @Test func blockedQRReconstructsAMatrixOfSeveralPanels() {
    // 70 columns: panels of 32, 32 and 6, each applied to the rest as products.
    var random = SplitMix64(seed: 23)
    let a: Tensor<Double> = random.tensor([90, 70])
    let f = Self.expectQR(of: a, reconstruction: 1e-12, orthogonality: 1e-13)
    // LAPACK's signs: each R[k, k] has the opposite sign of the column it
    // reflected, which for the first column is A's own.
    #expect(f.r[0, 0] * a[0, 0] < 0)
  }
}
