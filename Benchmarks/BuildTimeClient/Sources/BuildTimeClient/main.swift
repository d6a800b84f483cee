// Trains a two-layer model with ten rules, three wrappers and three nested
// schedules, saves and restores one checkpoint, and prints the losses: what a
// typical user's program instantiates, so that its clean release build shows
// what the package's generic code costs its clients.
import Optimisers

struct Model: Parameterised {
  typealias Scalar = Float
  var weight: Tensor<Float>
  var bias: Tensor<Float>
  var scale: Float
  static let parameters = ParameterList<Model>(\.weight, \.bias, \.scale)
}

/// ½ Σ (scale · (W x + b) − y)² with its pullback.
func loss(_ m: Model, _ x: Tensor<Float>, _ y: Tensor<Float>) -> (value: Float, pullback: (Float) -> Tangent<Model>) {
  let (wx, matvecBack) = Pullbacks.matvec(m.weight, x)
  let (affine, addBack) = Pullbacks.add(wx, m.bias)
  let prediction = affine * m.scale
  let (residual, _) = Pullbacks.subtract(prediction, y)
  let (squares, squaresBack) = Pullbacks.sumOfSquares(residual)
  return (squares / 2, { seed in
    let dPrediction = squaresBack(seed / 2)
    let (dWx, dBias) = addBack(dPrediction * m.scale)
    var gradient = m.zeroTangentVector
    gradient[\.weight] = matvecBack(dWx).0
    gradient[\.bias] = dBias
    gradient[\.scale] = zip(dPrediction.scalars, affine.scalars).reduce(0) { $0 + $1.0 * $1.1 }
    return gradient
  })
}

let x = Tensor<Float>(randomUniform: [16], seed: 3)
let y = Tensor<Float>(randomUniform: [8], seed: 4)
func freshModel() -> Model {
  Model(weight: Tensor(randomNormal: [8, 16], seed: 1), bias: Tensor(randomNormal: [8], seed: 2), scale: 1)
}

/// Trains a fresh model for 50 steps and prints the final loss.
func train<O: Optimiser>(_ name: String, _ optimiser: O) where O.Params == Model {
  var model = freshModel()
  var state = optimiser.initialState(for: model)
  for _ in 0..<50 {
    let (_, gradient) = valueWithGradient(at: model) { loss($0, x, y) }
    (state, model) = optimiser.update(consume state, consume model, gradient)
  }
  print(name, loss(model, x, y).value)
}

// Ten rules.
train("SGD", SGD<Model>(learningRate: 0.01))
train("Momentum", Momentum<Model>(learningRate: 0.01))
train("Nesterov", Nesterov<Model>(learningRate: 0.01))
train("Adam", Adam<Model>(learningRate: 0.01))
train("AdamW", AdamW<Model>(learningRate: 0.01))
train("RMSProp", RMSProp<Model>(learningRate: 0.01))
train("AdaGrad", AdaGrad<Model>(learningRate: 0.1))
train("Lion", Lion<Model>(learningRate: 0.001))
train("LAMB", LAMB<Model>(learningRate: 0.01))
train("Adafactor", Adafactor<Model>(learningRate: 0.01))

// Three wrappers.
train("Chain", Chain(ClipGlobalNorm(1), WeightDecay(1e-4), Adam<Model>(learningRate: 0.01)))
train("Accumulate", Accumulate(every: 2, Momentum<Model>(learningRate: 0.01)))
train("SkipNonFinite", SkipNonFinite(Adam<Model>(learningRate: 0.01)))

// Three nested schedules.
let warmupCosine = Warmup(CosineDecay(initial: 0.01, decaySteps: 40), steps: 10)
train("Scheduled(Warmup(Cosine))", Scheduled(Adam<Model>(), \.learningRate, by: warmupCosine))
let stepped = Followed(Constant(value: 0.01), Clamped(ExponentialDecay(initial: 0.01, transitionSteps: 10, decayRate: 0.5), to: 1e-4...1), at: 20)
train("Scheduled(Followed(…))", Scheduled(Momentum<Model>(), \.learningRate, by: stepped))
let cyclic = Looped(Cyclic(base: 0.8, maximum: 0.95, stepSizeUp: 5), period: 10)
train("Scheduled(Scheduled(…))", Scheduled(Scheduled(Adam<Model>(), \.learningRate, by: warmupCosine), \.base.beta1, by: cyclic))

// One checkpoint round trip.
let adam = Adam<Model>(learningRate: 0.01)
var model = freshModel()
var state = adam.initialState(for: model)
adam.update(&state, &model, valueWithGradient(at: model) { loss($0, x, y) }.1)
do {
  let bytes = try adam.checkpoint(state, for: model).encoded()
  let restored = try adam.restore(from: Checkpoint(decoding: bytes), for: model)
  print("checkpoint:", bytes.count, "bytes, step", restored.step)
} catch {
  print("checkpoint failed: \(error)")
}
