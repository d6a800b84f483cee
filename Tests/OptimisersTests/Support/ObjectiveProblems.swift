import Optimisers

/// The objectives of `Tests/Fixtures/lbfgs.json`, evaluated by the same
/// operations in the same order as `generate_lbfgs_fixtures.py`.
enum ObjectiveProblems {
  /// f = (1 − x)² + 100 r², r = y − x², and its gradient.
  static func rosenbrock(_ p: Tensor<Double>) -> (value: Double, gradient: Tensor<Double>) {
    let s = p.scalars
    let x = s[0], y = s[1]
    let r = y - x * x
    let a = 1.0 - x
    return (a * a + 100.0 * (r * r), Tensor([-2.0 * a - 400.0 * x * r, 200.0 * r]))
  }

  /// f = ½ Σᵢ (Aᵢ·x − bᵢ)², each sum taken left to right, and its gradient.
  struct LeastSquares: Sendable {
    let rows: Int
    let columns: Int
    /// A, row-major.
    let matrix: [Double]
    let target: [Double]

    func callAsFunction(_ p: Tensor<Double>) -> (value: Double, gradient: Tensor<Double>) {
      let x = p.scalars
      var residual = [Double](repeating: 0, count: rows)
      for i in 0..<rows {
        var s = 0.0
        for j in 0..<columns { s += matrix[i * columns + j] * x[j] }
        residual[i] = s - target[i]
      }
      var value = 0.0
      for r in residual { value += r * r }
      value *= 0.5
      var gradient = [Double](repeating: 0, count: columns)
      for j in 0..<columns {
        var g = 0.0
        for i in 0..<rows { g += matrix[i * columns + j] * residual[i] }
        gradient[j] = g
      }
      return (value, Tensor(gradient))
    }
  }
}
