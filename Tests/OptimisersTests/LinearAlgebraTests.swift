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

  @Test func qrReconstructsARandomMatrix() {
    var random = SplitMix64(seed: 22)
    let a: Tensor<Double> = random.tensor([8, 5])
    let f = HouseholderQR(a)
    #expect(Self.close(f.q.matmul(f.r).scalars, a.scalars, 1e-13))
    #expect(Self.close(f.q.transposedMatmul(f.q).scalars, Self.identity(5), 1e-14))
    for i in 0..<5 { for j in 0..<i { #expect(f.r[i, j] == 0) } }
  }
}
