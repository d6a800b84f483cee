import Foundation
import OptimiserLaws
import Optimisers
import Testing

// Every Swift code block of the documentation catalogue (Documentation.docc) and
// of README.md appears verbatim in this file or another test file, and runs
// here with assertions, so the documentation cannot rot. The first test checks
// that the blocks really do appear; the rest run them. Each section names its
// article. Definitions shared with the README (`Affine`, `squaredErrorLoss`) live
// in QuickStartTests.swift.

/// The repository's top-level folder, found from this file's path.
private let repositoryRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent()  // OptimisersTests
  .deletingLastPathComponent()  // Tests
  .deletingLastPathComponent()

/// Lines with surrounding white space removed and blank lines dropped, so that a
/// snippet matches regardless of indentation.
private func normalised(_ text: String) -> [String] {
  text.split(separator: "\n", omittingEmptySubsequences: false)
    .map { $0.trimmingCharacters(in: .whitespaces) }
    .filter { !$0.isEmpty }
}

/// The ```swift blocks of a Markdown file.
private func swiftBlocks(in markdown: String) -> [String] {
  var blocks: [String] = []
  var current: [String]?
  for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    if current == nil, trimmed == "```swift" {
      current = []
    } else if current != nil, trimmed == "```" {
      blocks.append(current!.joined(separator: "\n"))
      current = nil
    } else if current != nil {
      current!.append(String(line))
    }
  }
  return blocks
}

/// The seed's regression data and a fresh model, for articles that continue it.
private func seedRegression() -> (model: Affine, x: Tensor<Double>, y: Tensor<Double>) {
  (Affine(weight: Tensor(randomNormal: [2, 5], seed: 1), bias: Tensor(randomNormal: [2], seed: 2)),
   Tensor<Double>(randomUniform: [5], seed: 3), Tensor<Double>(randomUniform: [2], seed: 4))
}

@Suite struct DocumentationSnippetTests {
  @Test func everySwiftBlockOfTheDocumentationIsCompiledInATest() throws {
    let fileManager = FileManager.default
    let testsFolder = repositoryRoot.appendingPathComponent("Tests/OptimisersTests")
    var testLines: [String] = []
    let enumerator = try #require(fileManager.enumerator(at: testsFolder, includingPropertiesForKeys: nil))
    for case let url as URL in enumerator where url.pathExtension == "swift" {
      testLines += normalised(try String(contentsOf: url, encoding: .utf8))
    }
    let haystack = "\n" + testLines.joined(separator: "\n") + "\n"

    let catalogue = repositoryRoot.appendingPathComponent("Documentation.docc")
    var documents = try fileManager.contentsOfDirectory(at: catalogue, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "md" }
    documents.append(repositoryRoot.appendingPathComponent("README.md"))
    #expect(documents.count >= 11, "expected the landing page, ten articles and the README")

    var blockCount = 0
    for document in documents {
      for block in swiftBlocks(in: try String(contentsOf: document, encoding: .utf8)) {
        blockCount += 1
        let needle = "\n" + normalised(block).joined(separator: "\n") + "\n"
        let found = haystack.contains(needle)
        #expect(found, "a Swift block of \(document.lastPathComponent) is not in any test file:\n\(block)")
      }
    }
    #expect(blockCount >= 20)
  }
}

// MARK: - README.md (its first block, the model and loss, is in QuickStartTests.swift)

extension DocumentationSnippetTests {
  @Test func readmeQuickStartLoop() {
    var model = Affine(weight: Tensor(randomNormal: [2, 5], seed: 1),
                       bias: Tensor(randomNormal: [2], seed: 2))
    let x = Tensor<Double>(randomUniform: [5], seed: 3), y = Tensor<Double>(randomUniform: [2], seed: 4)
    let opt = Adam<Affine>(learningRate: 0.1)           // or SGD, Momentum, Nesterov
    var state = opt.initialState(for: model)
    for step in 0..<100 {
      let (loss, grad) = valueWithGradient(at: model) { m in squaredErrorLoss(m, x, y) }
      (state, model) = opt.update(consume state, consume model, grad)
      if step % 20 == 0 { print("step \(step): loss \(loss)") }
    }
    #expect(state.step == 100)
    #expect(squaredErrorLoss(model, x, y).value < 1e-2)
  }
}

// MARK: - Optimisers.md (the landing page)

extension DocumentationSnippetTests {
  @Test func landingPageLoop() {
    var (model, x, y) = seedRegression()
    let before = squaredErrorLoss(model, x, y).value
    let opt = Adam<Affine>(learningRate: 0.1)
    var state = opt.initialState(for: model)
    for _ in 0..<100 {
      let grad = gradient(at: model) { m in squaredErrorLoss(m, x, y) }
      (state, model) = opt.update(consume state, consume model, grad)
    }
    #expect(state.step == 100)
    #expect(squaredErrorLoss(model, x, y).value < before / 100)
  }
}

// MARK: - GettingStarted.md

extension DocumentationSnippetTests {
  @Test func gettingStartedTrainsTheSeedsRegression() {
    var model = Affine(weight: Tensor(randomNormal: [2, 5], seed: 1),
                       bias: Tensor(randomNormal: [2], seed: 2))
    let x = Tensor<Double>(randomUniform: [5], seed: 3), y = Tensor<Double>(randomUniform: [2], seed: 4)
    let opt = Adam<Affine>(learningRate: 0.1)
    var state = opt.initialState(for: model)
    var losses: [Double] = []
    for _ in 0..<100 {
      let (loss, grad) = valueWithGradient(at: model) { m in squaredErrorLoss(m, x, y) }
      (state, model) = opt.update(consume state, consume model, grad)
      losses.append(loss)
    }
    // The article says: 100 steps, and the loss falls by many orders of magnitude.
    #expect(state.step == 100)
    #expect(losses.count == 100)
    #expect(squaredErrorLoss(model, x, y).value < losses[0] * 1e-3)
  }

  @Test func gettingStartedSwapsTheRule() {
    func train<O: Optimiser>(_ opt: O, steps: Int) -> Double where O.Params == Affine {
      var model = Affine(weight: Tensor(randomNormal: [2, 5], seed: 1),
                         bias: Tensor(randomNormal: [2], seed: 2))
      let x = Tensor<Double>(randomUniform: [5], seed: 3), y = Tensor<Double>(randomUniform: [2], seed: 4)
      var state = opt.initialState(for: model)
      for _ in 0..<steps {
        let grad = gradient(at: model) { m in squaredErrorLoss(m, x, y) }
        opt.update(&state, &model, grad)
      }
      return squaredErrorLoss(model, x, y).value
    }

    let finalLosses = [
      train(SGD<Affine>(learningRate: 0.1), steps: 100),
      train(Momentum<Affine>(learningRate: 0.01, momentum: 0.9), steps: 100),
      train(Nesterov<Affine>(learningRate: 0.01, momentum: 0.9), steps: 100),
      train(Adam<Affine>(learningRate: 0.1), steps: 100),
    ]
    let (model, x, y) = seedRegression()
    let initial = squaredErrorLoss(model, x, y).value
    for loss in finalLosses { #expect(loss < initial / 10) }
  }
}

// MARK: - WritingPullbacks.md

struct TanhLayer: Parameterised {
  typealias Scalar = Double
  var weight: Tensor<Double>
  var bias: Tensor<Double>
  static let parameters = ParameterList<TanhLayer>(\.weight, \.bias)
}

/// mean((tanh(W x + b) − y)²) + λ Σ W², with its pullback.
func penalisedLoss(_ layer: TanhLayer, _ x: Tensor<Double>, _ y: Tensor<Double>, penalty: Double)
  -> (value: Double, pullback: (Double) -> Tangent<TanhLayer>)
{
  // Forward: keep every primitive's pullback.
  let (wx, matvecBack) = Pullbacks.matvec(layer.weight, x)
  let (z, addBack) = Pullbacks.add(wx, layer.bias)
  let (h, tanhBack) = Pullbacks.tanh(z)
  let (residual, subtractBack) = Pullbacks.subtract(h, y)
  let (squares, squareBack) = Pullbacks.square(residual)
  let (fit, meanBack) = Pullbacks.mean(squares)
  let (size, sizeBack) = Pullbacks.sumOfSquares(layer.weight)
  return (fit + penalty * size, { seed in
    // Backward: the same primitives in reverse order.
    let dResidual = squareBack(meanBack(seed))
    let dH = subtractBack(dResidual).0
    let (dWX, dBias) = addBack(tanhBack(dH))
    var gradient = layer.zeroTangentVector
    // The weight is used twice, so its cotangents add.
    gradient[\.weight] = matvecBack(dWX).0 + sizeBack(penalty * seed)
    gradient[\.bias] = dBias
    return gradient
  })
}

extension DocumentationSnippetTests {
  @Test func writingPullbacksFiniteDifferenceCheck() {
    let layer = TanhLayer(weight: Tensor(randomNormal: [3, 4], seed: 7),
                          bias: Tensor(randomNormal: [3], seed: 8))
    let x = Tensor<Double>(randomNormal: [4], seed: 9), y = Tensor<Double>(randomNormal: [3], seed: 10)
    let analytic = gradient(at: layer) { penalisedLoss($0, x, y, penalty: 0.01) }

    let h = 1e-6
    var plus = layer, minus = layer
    plus.weight[1, 2] += h
    minus.weight[1, 2] -= h
    let numeric = (penalisedLoss(plus, x, y, penalty: 0.01).value
      - penalisedLoss(minus, x, y, penalty: 0.01).value) / (2 * h)
    // analytic[\.weight][1, 2] and numeric agree to about 1e-9.
    #expect(relativeDifference(analytic[\.weight][1, 2], numeric) < 1e-7)

    // And every other element, weights and biases, by the same recipe.
    func loss(_ l: TanhLayer) -> Double { penalisedLoss(l, x, y, penalty: 0.01).value }
    for row in 0..<3 {
      for column in 0..<4 {
        var p = layer, m = layer
        p.weight[row, column] += h
        m.weight[row, column] -= h
        let fd = (loss(p) - loss(m)) / (2 * h)
        #expect(abs(analytic[\.weight][row, column] - fd) < 1e-8)
      }
      var p = layer, m = layer
      p.bias[flat: row] += h
      m.bias[flat: row] -= h
      #expect(abs(analytic[\.bias][flat: row] - (loss(p) - loss(m)) / (2 * h)) < 1e-8)
    }
  }
}

// MARK: - MakingYourModelOptimisable.md

enum Activation: Sendable { case tanh, sigmoid }

struct Layer: Parameterised {
  typealias Scalar = Double
  var weight: Tensor<Double>
  var bias: Tensor<Double>
  var activation = Activation.tanh              // not a parameter
  static let parameters = ParameterList<Layer>(\.weight, \.bias)
}

struct Network: Parameterised {
  typealias Scalar = Double
  var hidden: Layer
  var output: Layer
  var temperature: Double                       // a scalar parameter
  var name = "two layers"                       // not a parameter
  static let parameters = ParameterList<Network>(\.hidden, \.output, \.temperature)
}

extension DocumentationSnippetTests {
  @Test func makingYourModelOptimisable() {
    let network = Network(
      hidden: Layer(weight: Tensor(randomNormal: [4, 3], seed: 1), bias: Tensor.zeros([4])),
      output: Layer(weight: Tensor(randomNormal: [2, 4], seed: 2), bias: Tensor.zeros([2]),
                    activation: .sigmoid),
      temperature: 1)
    let names = (0..<network.parameterLeafCount).map { network.parameterLeafName(at: $0) }
    // ["hidden.weight", "hidden.bias", "output.weight", "output.bias", "temperature"]
    #expect(names == ["hidden.weight", "hidden.bias", "output.weight", "output.bias", "temperature"])
    #expect(network.parameterLeafShape(at: 4) == [])

    var g = network.zeroTangentVector
    g[\.hidden.weight] = Tensor(repeating: 0.5, shape: [4, 3])
    var outputGradient = network.output.zeroTangentVector
    outputGradient[\.bias] = Tensor([1, -1])
    g[\.output] = outputGradient
    g[\.temperature] = 0.25

    var trained = network
    let sgd = SGD<Network>(learningRate: 0.1)
    var state = sgd.initialState(for: trained)
    sgd.update(&state, &trained, g)
    // trained.temperature == 0.975, trained.output.bias == [-0.1, 0.1],
    // trained.output.activation is still .sigmoid
    #expect(abs(trained.temperature - 0.975) < 1e-15)
    #expect(trained.output.bias == Tensor([-0.1, 0.1]))
    #expect(trained.output.activation == .sigmoid)
    #expect(trained.hidden.activation == .tanh)
    #expect(trained.name == "two layers")
    #expect(trained.output.weight == network.output.weight)
    #expect(trained.hidden.bias == network.hidden.bias)
    #expect(trained.hidden.weight == network.hidden.weight - Tensor(repeating: 0.05, shape: [4, 3]))
  }
}

// MARK: - ChoosingARule.md

extension DocumentationSnippetTests {
  @Test func choosingARuleDefaults() {
    let sgd = SGD<Affine>()            // learningRate 0.1
    let momentum = Momentum<Affine>()  // learningRate 0.01, momentum 0.9
    let nesterov = Nesterov<Affine>()  // learningRate 0.01, momentum 0.9
    let adam = Adam<Affine>()          // learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-8
    #expect(sgd.learningRate == 0.1 && sgd.decay == 0)
    #expect(momentum.learningRate == 0.01 && momentum.momentum == 0.9 && momentum.decay == 0)
    #expect(nesterov.learningRate == 0.01 && nesterov.momentum == 0.9 && nesterov.decay == 0)
    #expect(adam.learningRate == 0.001 && adam.beta1 == 0.9 && adam.beta2 == 0.999)
    #expect(adam.epsilon == 1e-8 && adam.decay == 0)
  }

  /// The table's defaults column, rule by rule.
  @Test func choosingARuleTableDefaults() {
    typealias M = Affine
    let adamW = AdamW<M>()
    #expect(adamW.learningRate == 0.001 && adamW.weightDecay == 0.01 && adamW.epsilon == 1e-8)
    #expect(AMSGrad<M>().learningRate == 0.001 && AMSGrad<M>().variant == .pytorch)
    let nadam = NAdam<M>()
    #expect(nadam.learningRate == 0.002 && nadam.momentumDecay == 0.004 && nadam.variant == .pytorch)
    #expect(RAdam<M>().threshold == 5 && RAdam<M>().variant == .pytorch)
    let adamax = AdaMax<M>()
    #expect(adamax.learningRate == 0.002 && adamax.epsilon == 1e-8 && adamax.epsilonPlacement == .insideMax)
    let belief = AdaBelief<M>()
    #expect(belief.learningRate == 0.001 && belief.epsilon == 1e-16 && belief.epsilonRoot == 1e-16)
    let yogi = Yogi<M>()
    #expect(yogi.learningRate == 0.01 && yogi.epsilon == 1e-3 && yogi.initialAccumulator == 1e-6)
    let oadam = OAdam<M>()
    #expect(oadam.learningRate == 0.001 && oadam.optimism == nil && oadam.nesterov)
    let rms = RMSProp<M>()
    #expect(rms.learningRate == 0.01 && rms.rho == 0.99 && rms.epsilon == 1e-8 && rms.momentum == 0)
    #expect(!rms.centred && rms.epsilonPlacement == .outside)
    let adagrad = AdaGrad<M>()
    #expect(adagrad.learningRate == 0.01 && adagrad.learningRateDecay == 0)
    #expect(adagrad.initialAccumulatorValue == 0 && adagrad.epsilon == 1e-10)
    let adadelta = AdaDelta<M>()
    #expect(adadelta.learningRate == 1 && adadelta.rho == 0.9 && adadelta.epsilon == 1e-6)
    let adafactor = Adafactor<M>()
    #expect(adafactor.learningRate == 0.01 && adafactor.decayRate == 0.8 && adafactor.epsilon2 == 1e-3)
    #expect(adafactor.clippingThreshold == 1 && adafactor.variant == .pytorch)
    let lion = Lion<M>()
    #expect(lion.learningRate == 1e-4 && lion.beta1 == 0.9 && lion.beta2 == 0.99 && lion.weightDecay == 0)
    #expect(Signum<M>().learningRate == 0.01 && Signum<M>().momentum == 0.9)
    let rprop = Rprop<M>()
    #expect(rprop.learningRate == 0.01 && rprop.etaMinus == 0.5 && rprop.etaPlus == 1.2)
    #expect(rprop.minimumStep == 1e-6 && rprop.maximumStep == 50)
    let lamb = LAMB<M>()
    #expect(lamb.learningRate == 0.001 && lamb.epsilon == 1e-6 && lamb.weightDecay == 0)
    let lars = LARS<M>()
    #expect(lars.learningRate == 1 && lars.weightDecay == 0 && lars.trustCoefficient == 0.001)
    #expect(lars.epsilon == 0 && lars.momentum == 0.9 && !lars.nesterov)
  }

  /// The table's "state per parameter" column: buffers the size of the parameters.
  @Test func choosingARuleMemoryColumn() throws {
    let (model, _, _) = seedRegression()
    func buffers<O: Optimiser>(_ opt: O) throws -> Int where O.Params == Affine {
      // Count the tangent-shaped arrays in the encoded state.
      let data = try JSONEncoder().encode(opt.initialState(for: model))
      let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
      return object.values.filter { $0 is [Any] }.count
    }
    #expect(try buffers(SGD<Affine>()) == 0)
    #expect(try buffers(Momentum<Affine>()) == 1)
    #expect(try buffers(Nesterov<Affine>()) == 1)
    #expect(try buffers(Adam<Affine>()) == 2)
    for count in [try buffers(AdamW<Affine>()), try buffers(NAdam<Affine>()), try buffers(RAdam<Affine>()),
                  try buffers(AdaMax<Affine>()), try buffers(AdaBelief<Affine>()), try buffers(Yogi<Affine>()),
                  try buffers(AdaDelta<Affine>()), try buffers(Rprop<Affine>()), try buffers(LAMB<Affine>())] {
      #expect(count == 2)
    }
    for count in [try buffers(AMSGrad<Affine>()), try buffers(OAdam<Affine>())] { #expect(count == 3) }
    for count in [try buffers(RMSProp<Affine>()), try buffers(AdaGrad<Affine>()), try buffers(Lion<Affine>()),
                  try buffers(Signum<Affine>()), try buffers(LARS<Affine>())] {
      #expect(count == 1)
    }
    #expect(try buffers(RMSProp<Affine>(momentum: 0.9, centred: true)) == 3)
  }
}

// MARK: - ComposingTransforms.md

/// Clips every gradient element to [−limit, limit].
struct ClipElements: GradientMap {
  var limit: Double
  func apply<S: ParameterScalar>(_ gradient: S, parameter: S) -> S {
    min(max(gradient, S(-limit)), S(limit))
  }
}

/// Adds λ p to the gradient: coupled (L2) weight decay.
struct CoupledDecay: GradientMap {
  var lambda: Double
  func apply<S: ParameterScalar>(_ gradient: S, parameter: S) -> S {
    gradient + S(lambda) * parameter
  }
}

extension DocumentationSnippetTests {
  @Test func composingTransformsChainAndKeyPaths() {
    var (model, x, y) = seedRegression()
    let before = squaredErrorLoss(model, x, y).value
    let opt = Chain(ClipGlobalNorm(1.0), WeightDecay(1e-4), Adam<Affine>(learningRate: 0.01))
    var state = opt.initialState(for: model)
    for _ in 0..<100 {
      let grad = gradient(at: model) { m in squaredErrorLoss(m, x, y) }
      opt.update(&state, &model, grad)
    }
    #expect(squaredErrorLoss(model, x, y).value < before / 10)
    #expect(state.last.step == 100)

    let slower = opt.adjusted(\.rule.learningRate, to: 0.001)
    let tighter = opt.adjusted(\.leading.leading.maxNorm, to: 0.5)
    let warmed = Scheduled(opt, \.rule.learningRate, by: LinearSchedule(initial: 0, end: 0.01, transitionSteps: 10))
    #expect(slower.rule.learningRate == 0.001 && opt.rule.learningRate == 0.01)
    #expect(tighter.leading.leading.maxNorm == 0.5)
    #expect(warmed.base(at: 5).rule.learningRate == 0.005)
    // The adjusted chain carries on from the same state.
    var continued = model
    var continuedState = state
    slower.update(&continuedState, &continued, gradient(at: continued) { squaredErrorLoss($0, x, y) })
    #expect(continuedState.last.step == 101)
  }

  @Test func composingTransformsMasksPartitionsAndDecoupledDecay() {
    let (model, x, y) = seedRegression()
    let grad = gradient(at: model) { m in squaredErrorLoss(m, x, y) }
    let decayWeights = Chain(WeightDecay(1e-4).masked { $0.hasSuffix("weight") },
                             SGD<Affine>(learningRate: 0.1))
    let decayMatrices = Chain(WeightDecay(1e-4).masked(.rank(atLeast: 2)),
                              SGD<Affine>(learningRate: 0.1))
    // Both masks select the weight and leave the bias undecayed.
    func step<O: Optimiser>(_ opt: O) -> Affine where O.Params == Affine {
      var p = model
      var s = opt.initialState(for: p)
      opt.update(&s, &p, grad)
      return p
    }
    let expectedBias = model.bias - 0.1 * grad[\.bias]
    #expect(step(decayWeights).bias == expectedBias)
    #expect(step(decayWeights).parametersBitwiseEqual(step(decayMatrices)))
    #expect(step(decayWeights).weight != model.weight - 0.1 * grad[\.weight])

    let adamW = DecoupledWeightDecay(0.01, Adam<Affine>(learningRate: 1e-3), learningRate: \.learningRate,
                                     selecting: .rank(atLeast: 2))
    let plainAdam = step(Adam<Affine>(learningRate: 1e-3))
    #expect(step(adamW).bias == plainAdam.bias)
    #expect(step(adamW).weight != plainAdam.weight)

    let groups = Partition(SGD(learningRate: 0.01), for: \Affine.bias,
                           otherwise: Adam(learningRate: 0.001))
    let frozenBias = Partition(Frozen(), for: \Affine.bias, otherwise: Adam(learningRate: 0.001))
    #expect(step(groups).bias == model.bias - 0.01 * grad[\.bias])
    #expect(step(groups).weight.bitPatternsEqual(plainAdam.weight))
    #expect(step(frozenBias).bias.bitPatternsEqual(model.bias))
    #expect(step(frozenBias).weight.bitPatternsEqual(plainAdam.weight))
  }

  @Test func composingTransformsWrappers() {
    var (model, x, y) = seedRegression()
    let start = model
    let robust = SkipNonFinite(Accumulate(every: 4, Adam<Affine>(learningRate: 1e-3)), maxConsecutive: 3)
    var robustState = robust.initialState(for: model)
    let badGradient = Tangent<Affine>(leaves: [Tensor(repeating: .nan, shape: [2, 5]), Tensor.zeros([2])])
    do {
      try robust.checkedUpdate(&robustState, &model, badGradient)   // skipped and counted
    } catch {
      print(error)   // only after more than 3 non-finite steps in a row
    }
    #expect(robustState.nonFiniteSteps == 1)
    #expect(model.parametersBitwiseEqual(start))
    for _ in 0..<3 { try? robust.checkedUpdate(&robustState, &model, badGradient) }
    #expect(throws: NonFiniteError.self) { try robust.checkedUpdate(&robustState, &model, badGradient) }
    #expect(model.parametersBitwiseEqual(start))

    let averaged = ExponentialMovingAverage(Adam<Affine>(learningRate: 0.01), decay: 0.9)
    var averagedState = averaged.initialState(for: model)
    for _ in 0..<20 {
      averaged.update(&averagedState, &model, gradient(at: model) { m in squaredErrorLoss(m, x, y) })
    }
    let evaluationModel = averaged.averagedParameters(averagedState, like: model)
    #expect(!evaluationModel.parametersBitwiseEqual(model))
    #expect(squaredErrorLoss(evaluationModel, x, y).value < squaredErrorLoss(start, x, y).value)
  }

  @Test func composingTransformsClipsInsideTheRule() {
    var (model, x, y) = seedRegression()
    let start = model
    let adam = Adam<Affine>(learningRate: 0.01)
    var state = adam.initialState(for: model)
    let grad = gradient(at: model) { m in squaredErrorLoss(m, x, y) }
    adam.update(&state, &model, grad, preprocessing: ClipElements(limit: 1))

    // The same step on a gradient clipped beforehand gives the same bits.
    let clipped = Tangent<Affine>(leaves: grad.leaves.map { $0.map { min(max($0, -1), 1) } })
    #expect(clipped.leaves != grad.leaves, "the example gradient should have elements beyond ±1")
    var reference = start
    var referenceState = adam.initialState(for: reference)
    adam.update(&referenceState, &reference, clipped)
    #expect(model.parametersBitwiseEqual(reference))
  }

  @Test func coupledDecayAddsTheParameter() {
    let sgd = SGD<Tensor<Double>>(learningRate: 0.5)
    var p = Tensor<Double>([2, -4])
    var state = sgd.initialState(for: p)
    sgd.update(&state, &p, Tensor([1, 1]), preprocessing: CoupledDecay(lambda: 0.25))
    // p − η (g + λ p) = [2 − 0.5 (1 + 0.5), −4 − 0.5 (1 − 1)] = [1.25, −4]
    #expect(p == Tensor([1.25, -4]))
  }
}

// MARK: - SchedulesGuide.md

struct Halving: Schedule {
  var initial: Double
  var every: Int
  func callAsFunction(_ step: Int) -> Double {
    initial / Double(1 << min(step / every, 60))
  }
}

extension DocumentationSnippetTests {
  @Test func schedulesDriveAHyperparameter() {
    var (model, x, y) = seedRegression()
    let start = model
    let before = squaredErrorLoss(model, x, y).value
    let schedule = WarmupCosine(peak: 0.1, warmupSteps: 10, decaySteps: 100)
    let opt = Scheduled(Adam<Affine>(), \.learningRate, by: schedule)
    var state = opt.initialState(for: model)
    for _ in 0..<100 {
      let grad = gradient(at: model) { m in squaredErrorLoss(m, x, y) }
      opt.update(&state, &model, grad)
    }
    #expect(state.step == 100)
    #expect(squaredErrorLoss(model, x, y).value < before / 100)

    // The same as adjusting Adam's learning rate to schedule(t) before each update.
    var byHand = start
    let adam = Adam<Affine>()
    var handState = adam.initialState(for: byHand)
    for t in 0..<100 {
      let grad = gradient(at: byHand) { m in squaredErrorLoss(m, x, y) }
      adam.adjusted(\.learningRate, to: schedule(t)).update(&handState, &byHand, grad)
    }
    #expect(model.parametersBitwiseEqual(byHand))
  }

  @Test func schedulesCompose() {
    let warmThenDecay = CosineDecay(initial: 0.1, decaySteps: 900)
      .warmedUp(over: 100)
      .followed(by: Constant(value: 0.001), at: 1000)
    let restarts = CosineDecay(initial: 0.05, decaySteps: 250).looped(period: 250)
    let bounded = (0.5 * restarts + Constant(value: 0.01)).clamped(to: 0.01...0.03)
    #expect(warmThenDecay(0) == 0)
    #expect(abs(warmThenDecay(50) - 0.05) < 1e-15)
    #expect(warmThenDecay(100) == 0.1)
    #expect(warmThenDecay(999) < 1e-5)
    #expect(warmThenDecay(1000) == 0.001)
    #expect(restarts(250) == restarts(0) && restarts(0) == 0.05)
    #expect(restarts(125) < restarts(0))
    for t in stride(from: 0, to: 1000, by: 7) { #expect((0.01...0.03).contains(bounded(t))) }
    #expect(bounded(0) == 0.03)
    #expect(Halving(initial: 1, every: 10)(25) == 0.25)
  }

  @Test func schedulesPlateauFactor() {
    var (model, x, y) = seedRegression()
    var plateauOpt = Scheduled(Adam<Affine>(), \.learningRate,
                               by: Constant(value: 0.1) * ReduceOnPlateau(factor: 0.5, patience: 2))
    var plateauState = plateauOpt.initialState(for: model)
    for epoch in 0..<10 {
      let grad = gradient(at: model) { m in squaredErrorLoss(m, x, y) }
      plateauOpt.update(&plateauState, &model, grad)
      let validationLoss = epoch < 3 ? 1.0 / Double(epoch + 1) : 0.5   // stalls after epoch 3
      plateauOpt.schedule.second.advance(with: validationLoss)
    }
    // Best 1/3 at epoch 2; seven stalled epochs with patience 2 halve the factor twice.
    #expect(plateauOpt.schedule.second.value == 0.25)
    #expect(plateauOpt.base(at: plateauState.step).learningRate == 0.025)
    #expect(plateauState.step == 10)
  }

  @Test func schedulesSeveralHyperparameters() {
    let schedule = WarmupCosine(peak: 0.1, warmupSteps: 10, decaySteps: 100)
    let cycled = Scheduled(Momentum<Affine>(), [
      (\.learningRate, Cyclic(base: 0.001, maximum: 0.01, stepSizeUp: 20)),
      (\.momentum, Cyclic(base: 0.8, maximum: 0.95, stepSizeUp: 20)),
    ])
    let nested = Scheduled(Scheduled(Adam<Affine>(), \.learningRate, by: schedule),
                           \.base.beta1, by: Constant(value: 0.85))
    #expect(abs(cycled.base(at: 20).learningRate - 0.01) < 1e-15)
    #expect(abs(cycled.base(at: 20).momentum - 0.95) < 1e-15)
    #expect(cycled.base(at: 0).momentum == 0.8)
    #expect(nested.base(at: 5).base.beta1 == 0.85)
    #expect(nested.base(at: 5).base(at: 5).learningRate == schedule(5))

    // Both wrappers count the same updates.
    var (model, x, y) = seedRegression()
    var state = nested.initialState(for: model)
    for _ in 0..<3 { nested.update(&state, &model, gradient(at: model) { squaredErrorLoss($0, x, y) }) }
    #expect(state.step == 3 && state.base.step == 3)
  }

  @Test func schedulesSeedDecayIsInverseDecay() {
    var (builtIn, x, y) = seedRegression()
    var scheduled = builtIn
    let decayed = SGD<Affine>(learningRate: 0.1, decay: 0.01)
    let wrapped = Scheduled(SGD<Affine>(learningRate: 0.1), \.learningRate,
                            by: InverseDecay(initial: 0.1, decay: 0.01))
    var s1 = decayed.initialState(for: builtIn), s2 = wrapped.initialState(for: scheduled)
    for _ in 0..<30 {
      decayed.update(&s1, &builtIn, gradient(at: builtIn) { squaredErrorLoss($0, x, y) })
      wrapped.update(&s2, &scheduled, gradient(at: scheduled) { squaredErrorLoss($0, x, y) })
    }
    #expect(builtIn.parametersBitwiseEqual(scheduled))
  }

  @Test func schedulesWarmUpByKeyPath() {
    var (model, x, y) = seedRegression()
    let before = squaredErrorLoss(model, x, y).value
    let base = Adam<Affine>(learningRate: 0.1)
    var state = base.initialState(for: model)
    for _ in 0..<100 {
      let step = Double(state.step)
      let rate = 0.1 * min(1, (step + 1) / 10) / (1 + 0.01 * step)
      let opt = base.adjusted(\.learningRate, to: rate)
      let grad = gradient(at: model) { m in squaredErrorLoss(m, x, y) }
      opt.update(&state, &model, grad)
    }
    #expect(state.step == 100)
    #expect(squaredErrorLoss(model, x, y).value < before / 100)
  }

  /// The article's claim: the built-in `decay` is η / (1 + decay · t) applied by
  /// key path, bit for bit; and adjusting to the current value changes nothing.
  @Test func schedulesBuiltInDecayEqualsAdjustingByHand() {
    var (builtIn, x, y) = seedRegression()
    var byHand = builtIn
    let decayed = SGD<Affine>(learningRate: 0.1, decay: 0.01)
    let plain = SGD<Affine>(learningRate: 0.1)
    var s1 = decayed.initialState(for: builtIn), s2 = plain.initialState(for: byHand)
    for _ in 0..<30 {
      decayed.update(&s1, &builtIn, gradient(at: builtIn) { squaredErrorLoss($0, x, y) })
      let rate = 0.1 / (1 + 0.01 * Double(s2.step))
      plain.adjusted(\.learningRate, to: rate)
        .update(&s2, &byHand, gradient(at: byHand) { squaredErrorLoss($0, x, y) })
    }
    #expect(builtIn.parametersBitwiseEqual(byHand))
    let adam = Adam<Affine>(learningRate: 0.1, beta1: 0.8)
    #expect(adam.adjusted(\.beta1, to: 0.8).beta1.bitPattern == adam.beta1.bitPattern)
  }
}

extension DocumentationSnippetTests {
  @Test func schedulesFromData() throws {
    let configuration = """
      {"kind": "joined", "boundaries": [20, 50], "parts": [
        {"kind": "linearSchedule", "initial": 0, "end": 0.1, "transitionSteps": 20, "transitionBegin": 0},
        {"kind": "halving", "initial": 0.1, "every": 10},
        {"kind": "cosineAnnealing", "initial": 0.1, "maximumSteps": 150, "minimum": 0.0001}]}
      """
    let decoder = JSONDecoder()
    decoder.userInfo[ScheduleRegistry.userInfoKey] = ScheduleRegistry.standard.registering(Halving.self, as: "halving")
    let fromData = try decoder.decode(AnySchedule.self, from: Data(configuration.utf8))
    let adamFromData = Scheduled(Adam<Affine>(), \.learningRate, by: fromData)
    #expect(fromData(10) == 0.05 && fromData(20) == 0.1 && fromData(30) == 0.05 && abs(fromData(50) - 0.1) < 1e-15)
    #expect(abs(fromData(200) - 0.0001) < 1e-15 && fromData(350) == fromData(50))
    #expect(try adamFromData.checkedBase(at: 35).learningRate == 0.05)

    let rate = OneCycle(peak: 0.1, totalSteps: 1000)
    let oneCycle = Scheduled(Momentum<Affine>(), [(\.learningRate, rate), (\.momentum, rate.cycledMomentum())])
    let optimistic = Scheduled(OAdam<Affine>(), \.optimism, by: CosineDecay(initial: 0.01, decaySteps: 1000))
    // The momentum is highest where the rate is lowest, and lowest at the rate's peak (step 299).
    #expect(abs(try oneCycle.checkedBase(at: 0).momentum - 0.95) < 1e-15)
    #expect(try oneCycle.checkedBase(at: 299).momentum == 0.85 && oneCycle.checkedBase(at: 299).learningRate == 0.1)
    #expect(try optimistic.checkedBase(at: 0).optimism == 0.01 && optimistic.checkedBase(at: 1000).optimism == 0)
  }
}

// MARK: - SavingAndResumingTraining.md

struct Snapshot: Codable {
  var weight: Tensor<Double>
  var bias: Tensor<Double>
  var optimiser: Adam<Affine>.State
}

/// A fresh temporary directory for one test.
private func temporaryDirectory() throws -> String {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("optimisers-docs-\(UInt64.random(in: 0...UInt64.max))")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url.path
}

extension DocumentationSnippetTests {
  @Test func savingAndResumingWithACheckpointIsBitExact() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/optimiser.ckpt"
    var (model, x, y) = seedRegression()
    let opt = Adam<Affine>(learningRate: 0.05)
    var state = opt.initialState(for: model)
    for _ in 0..<50 {
      opt.update(&state, &model, gradient(at: model) { squaredErrorLoss($0, x, y) })
    }
    let checkpoint = try opt.checkpoint(state, for: model, includingParameters: true)
    try checkpoint.write(toFile: path)

    let loaded = try Checkpoint(contentsOfFile: path)
    var resumedModel = Affine(weight: Tensor.zeros([2, 5]), bias: Tensor.zeros([2]))
    try loaded.restoreParameters(into: &resumedModel)
    var resumedState = try opt.restore(from: loaded, for: resumedModel)
    for _ in 0..<50 {
      let grad = gradient(at: resumedModel) { m in squaredErrorLoss(m, x, y) }
      opt.update(&resumedState, &resumedModel, grad)
    }

    // Uninterrupted: 100 steps from the start.
    var (straight, _, _) = seedRegression()
    var straightState = opt.initialState(for: straight)
    for _ in 0..<100 {
      opt.update(&straightState, &straight, gradient(at: straight) { squaredErrorLoss($0, x, y) })
    }
    #expect(resumedModel.parametersBitwiseEqual(straight))
    #expect(resumedState == straightState)
    #expect(loaded.step == 50)

    do {
      _ = try Adam<Affine>(learningRate: 0.01).restore(from: loaded, for: resumedModel)
    } catch {
      print(error)   // hyperparameter 'learningRate' of Adam is 0.01, but the checkpoint has 0.05
    }
    let retuned = try Adam<Affine>(learningRate: 0.01)
      .restore(from: loaded, for: resumedModel, hyperparameters: .useOptimiser)
    #expect(retuned == state)
    #expect(throws: CheckpointError.self) {
      try Adam<Affine>(learningRate: 0.01).restore(from: loaded, for: resumedModel)
    }
    do {
      _ = try Adam<Affine>(learningRate: 0.01).restore(from: loaded, for: resumedModel)
    } catch {
      #expect(error.description.hasPrefix("hyperparameter 'learningRate' of Adam is 0.01, but the checkpoint has 0.05;"))
    }
    // Other parameters are refused with the leaf and both shapes.
    let wider = Affine(weight: Tensor(randomNormal: [3, 5], seed: 1), bias: Tensor(randomNormal: [3], seed: 2))
    #expect(throws: CheckpointError.shapeMismatch(leaf: "weight", expected: [3, 5], found: [2, 5])) {
      try opt.restore(from: loaded, for: wider)
    }
    // Another rule is refused.
    #expect(throws: CheckpointError.self) { try Momentum<Affine>().restore(from: loaded, for: resumedModel) }

    let readable = try JSONEncoder().encode(checkpoint)
    let compact = checkpoint.encoded()
    let fromJSON = try JSONDecoder().decode(Checkpoint.self, from: readable)
    let fromBytes = try Checkpoint(decoding: compact)
    #expect(fromJSON == checkpoint && fromBytes == checkpoint)
    // A flipped byte fails the checksum instead of loading.
    var flipped = compact
    flipped[flipped.count / 2] ^= 0x10
    #expect(throws: CheckpointError.self) { try Checkpoint(decoding: flipped) }
  }

  @Test func savingAndResumingWithPlainCodable() throws {
    var (model, x, y) = seedRegression()
    let opt = Adam<Affine>(learningRate: 0.05)
    var state = opt.initialState(for: model)
    for _ in 0..<5 { opt.update(&state, &model, gradient(at: model) { squaredErrorLoss($0, x, y) }) }
    let data = try JSONEncoder().encode(Snapshot(weight: model.weight, bias: model.bias, optimiser: state))
    let snapshot = try JSONDecoder().decode(Snapshot.self, from: data)
    let restored = try opt.validated(snapshot.optimiser, for: model)
    #expect(restored == state)
    #expect(snapshot.weight.bitPatternsEqual(model.weight))

    let wider = Affine(weight: Tensor(randomNormal: [3, 5], seed: 1), bias: Tensor(randomNormal: [3], seed: 2))
    #expect(throws: OptimiserError.shapeMismatch(buffer: "firstMoment", leaf: "weight", expected: [3, 5], found: [2, 5])) {
      try opt.validated(snapshot.optimiser, for: wider)
    }
    // A version-0 state (encoded on its own) still loads as a checkpoint.
    let legacy = try JSONDecoder().decode(Checkpoint.self, from: try JSONEncoder().encode(state))
    #expect(try opt.restore(from: legacy, for: model) == state)
  }

  @Test func savingAndResumingRefusesAnotherRulesState() throws {
    let (model, _, _) = seedRegression()
    let momentumState = Momentum<Affine>().initialState(for: model)
    let data = try JSONEncoder().encode(momentumState)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Adam<Affine>.State.self, from: data) }
  }
}

// MARK: - WritingYourOwnRule.md

struct TinyRMSProp<Params: Differentiable>: KernelRule, BufferNaming {
  var learningRate = 0.01, rho = 0.99, epsilon = 1e-8

  func declareHyperparameters(_ h: inout some HyperparameterVisitor) {
    h.nonNegative(learningRate, "learningRate"); h.unitInterval(rho, "rho"); h.positive(epsilon, "epsilon")
  }

  static var bufferNames: [StaticString] { ["meanSquare"] }
  typealias State = NamedBufferState<Params, TinyRMSProp>

  func step<Map>(_ t: Int, _ walk: Walk<Params, State, Map>) {
    let rate = Scalar(learningRate), decay = Scalar(rho), mix = Scalar(1 - rho), eps = Scalar(epsilon)
    walk { b in
      let s = b[0]
      for i in b.indices {
        let g = b.gradient(i)
        s[i] = decay * s[i] + mix * g * g
        b.p[i] -= rate * g / (Scalar.squareRoot(of: s[i]) + eps)
      }
    }
  }
}

extension DocumentationSnippetTests {
  @Test func writingYourOwnRuleTrainsAndObeysTheLaws() throws {
    var (model, x, y) = seedRegression()
    let before = squaredErrorLoss(model, x, y).value
    let rule = TinyRMSProp<Affine>(learningRate: 0.01)
    var state = rule.initialState(for: model)
    for _ in 0..<200 {
      let grad = gradient(at: model) { m in squaredErrorLoss(m, x, y) }
      (state, model) = rule.update(consume state, consume model, grad)
    }
    #expect(state.step == 200)
    #expect(squaredErrorLoss(model, x, y).value < before / 10)

    var random = SplitMix64(seed: 42)
    let start = Affine(weight: Tensor(randomNormal: [2, 5], seed: random.next()),
                       bias: Tensor(randomNormal: [2], seed: random.next()))
    let g = Tangent<Affine>(leaves: [Tensor(randomNormal: [2, 5], seed: random.next()),
                                     Tensor(randomNormal: [2], seed: random.next())])
    var inPlaceState = rule.initialState(for: start), inPlaceModel = start
    rule.update(&inPlaceState, &inPlaceModel, g)
    let (pureState, pureModel) = rule.update(rule.initialState(for: start), start, g)
    // pureModel.parametersBitwiseEqual(inPlaceModel) and pureState == inPlaceState
    #expect(pureModel.parametersBitwiseEqual(inPlaceModel))
    #expect(pureState == inPlaceState)
    #expect(!pureModel.parametersBitwiseEqual(start))

    let report = OptimiserLaws.check(TinyRMSProp<Affine>(learningRate: 0.01), parameters: .model(model))
    print(report)
    #expect(report.passed, "\(report)")
    #expect(report.checked.contains(.purity) && report.checked.contains(.resumeExactness))

    // The declared ranges, named with the rule.
    #expect(throws: OptimiserError.invalidHyperparameter(
      rule: "TinyRMSProp", name: "rho", value: 1, requirement: "in [0, 1)")) {
      try TinyRMSProp<Affine>(rho: 1).validateHyperparameters()
    }
    #expect(rule.hyperparameterRanges.map(\.name) == ["learningRate", "rho", "epsilon"])
    // The rule tag refuses another rule's state.
    let adamState = try JSONEncoder().encode(Adam<Affine>().initialState(for: start))
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(TinyRMSProp<Affine>.State.self, from: adamState) }
    let own = try JSONEncoder().encode(state)
    #expect(try JSONDecoder().decode(TinyRMSProp<Affine>.State.self, from: own) == state)
    // A decoded state is checked against the parameters.
    var wrong = TinyRMSProp<Affine>.State(zerosLike: start)
    wrong[0] = Tangent(leaves: [.zeros([5, 2]), .zeros([2])])
    #expect(throws: OptimiserError.shapeMismatch(buffer: "meanSquare", leaf: "weight", expected: [2, 5], found: [5, 2])) {
      try rule.validate(wrong, for: start)
    }
    // The formula: first step from zero state is p − η g / (√((1 − ρ) g²) + ε).
    let scalarRule = TinyRMSProp<Double>(learningRate: 0.1, rho: 0.5)
    var scalar = 1.0
    var scalarState = scalarRule.initialState(for: scalar)
    scalarRule.update(&scalarState, &scalar, 2)
    #expect(abs(scalar - (1 - 0.1 * 2 / ((0.5 * 4).squareRoot() + 1e-8))) < 1e-15)
  }
}

// MARK: - ComingFromOtherLibraries.md

extension DocumentationSnippetTests {
  /// The article's recipe for Flux's `InvDecay`, whose counter starts at 1.
  @Test func fluxInverseDecayIsAShiftedInverseDecay() {
    let flux = InverseDecay(initial: 0.1, decay: 0.5).shifted(by: -1)
    for t in 0..<10 { #expect(flux(t) == 0.1 / (1 + 0.5 * Double(t + 1))) }
  }
}

// MARK: - PerformanceGuide.md

extension DocumentationSnippetTests {
  @Test func performanceConsumeIdiomEqualsInPlace() {
    var (model, x, y) = seedRegression()
    var inPlace = model
    let opt = Adam<Affine>(learningRate: 0.1)
    var state = opt.initialState(for: model)
    var inPlaceState = opt.initialState(for: inPlace)
    for _ in 0..<10 {
      let grad = gradient(at: model) { m in squaredErrorLoss(m, x, y) }
      (state, model) = opt.update(consume state, consume model, grad)
      opt.update(&inPlaceState, &inPlace, grad)
    }
    #expect(model.parametersBitwiseEqual(inPlace))
    #expect(state == inPlaceState)
  }

  /// The article's claim: the thread count changes the time, never the bits.
  @Test func performanceThreadsGiveIdenticalBits() {
    let size = 1 << 19   // above the 2^18-scalar threshold, so two threads may split it
    let start = Tensor<Float>(randomNormal: [size], seed: 5)
    let grad = Tensor<Float>(randomNormal: [size], seed: 6)
    let opt = Adam<Tensor<Float>>(learningRate: 0.01)
    var model = start
    var state = opt.initialState(for: model)
    Parallelism.$current.withValue(.serial) {
      opt.update(&state, &model, grad)
    }
    Parallelism.$current.withValue(Parallelism(maximumThreads: 2)) {
      opt.update(&state, &model, grad)
    }
    var twoThreads = start
    var twoState = opt.initialState(for: twoThreads)
    Parallelism.$current.withValue(Parallelism(maximumThreads: 2)) {
      for _ in 0..<2 { opt.update(&twoState, &twoThreads, grad) }
    }
    #expect(model.bitPatternsEqual(twoThreads))
    #expect(state.firstMoment.bitPatternsEqual(twoState.firstMoment))
    #expect(!model.bitPatternsEqual(start))
  }
}

// MARK: - Training in Lower Precision

extension DocumentationSnippetTests {
  @Test func trainingInLowerPrecisionArticle() {
    let problem = LogisticProblem()
    let optimiser = Quantised(Adam<Tensor<BFloat16>>(learningRate: 0.05), rounding: .stochastic(seed: 7))
    var weights = Tensor<BFloat16>(repeating: 0, shape: [LogisticProblem.dimension])
    var state = optimiser.initialState(for: weights)
    for _ in 0..<300 { optimiser.update(&state, &weights, problem.gradient(at: weights)) }
    #expect(problem.accuracy(weights) > 0.85 && state.step == 300)

    let mixed = MixedPrecision(Adam(learningRate: 0.05), parameters: Tensor<Float16>.self,
                               lossScale: DynamicLossScale(initialScale: 1024))
    var halfWeights = Tensor<Float16>(repeating: 0, shape: [LogisticProblem.dimension])
    var mixedState = mixed.initialState(for: halfWeights)
    for _ in 0..<300 {
      let scale = mixed.lossScale(of: mixedState)   // differentiate scale × loss
      let gradient = problem.gradient(at: halfWeights).scalars.map { Float16(Float($0) * Float(scale)) }
      mixed.update(&mixedState, &halfWeights, Tensor(shape: [LogisticProblem.dimension], scalars: gradient))
    }
    #expect(problem.accuracy(halfWeights) > 0.85 && mixedState.step == 300)
  }
}
