// Fits y = a·exp(−b·t) + c to 60 noisy, seeded samples with L-BFGS and its
// strong Wolfe line search, and prints the fitted parameters and the residual.
//
//   swift run curve-fit
import Optimisers

/// The model's three parameters, stored as scalar fields.
struct Decay: Parameterised {
  typealias Scalar = Double
  var amplitude: Double
  var rate: Double
  var offset: Double
  static let parameters = ParameterList<Decay>(\.amplitude, \.rate, \.offset)
}

/// ½ Σᵢ (a·exp(−b·tᵢ) + c − yᵢ)² and its gradient, by hand.
func leastSquares(_ m: Decay, _ t: [Double], _ y: [Double]) -> (value: Double, gradient: Tangent<Decay>) {
  var value = 0.0
  var da = 0.0, db = 0.0, dc = 0.0
  for i in t.indices {
    let e = Double.exp(-m.rate * t[i])
    let r = m.amplitude * e + m.offset - y[i]
    value += 0.5 * r * r
    da += r * e
    db -= r * m.amplitude * t[i] * e
    dc += r
  }
  var gradient = m.zeroTangentVector
  gradient[\.amplitude] = da
  gradient[\.rate] = db
  gradient[\.offset] = dc
  return (value, gradient)
}

let truth = Decay(amplitude: 2.5, rate: 1.3, offset: 0.5)
let times = (0..<60).map { Double($0) * 4 / 59 }
let noise = Tensor<Double>(randomNormal: [times.count], seed: 2024).scalars
let samples = times.indices.map { truth.amplitude * Double.exp(-truth.rate * times[$0]) + truth.offset + 0.05 * noise[$0] }

let lbfgs = LBFGS<Decay>(maximumIterations: 100, maximumEvaluations: 200, lineSearch: .strongWolfe())
var model = Decay(amplitude: 1, rate: 0.1, offset: 0)
var state = lbfgs.initialState(for: model)
do {
  let report = try lbfgs.step(&state, &model) { leastSquares($0, times, samples) }
  let sumOfSquares = 2 * leastSquares(model, times, samples).value
  print("fitted y = a·exp(−b·t) + c to \(times.count) samples with noise σ = 0.05 (seed 2024)")
  print("  a = \(model.amplitude)  (true 2.5)")
  print("  b = \(model.rate)  (true 1.3)")
  print("  c = \(model.offset)  (true 0.5)")
  print("  residual: Σ r² = \(sumOfSquares), RMS = \((sumOfSquares / Double(times.count)).squareRoot())")
  print("  \(report.iterations) iterations, \(report.evaluations) objective evaluations, stopped on \(report.stopReason)")
} catch {
  print("curve-fit: \(error)")
}
