import Foundation
import Optimisers
import Testing

/// The options and rules of issue 13 against `Tests/Fixtures/options.json`
/// (written by `generate_option_fixtures.py`): each case is replayed step by
/// step, float64 within 1e-10 relative and float32 within 1e-4 of the
/// reference's own float32 run, as `ReferenceFixtureTests` does for `rules.json`.
@Suite struct OptionFixtureTests {
  /// The fixture file; gradient entries "inf" and "-inf" stand for ±∞ (JSON has none).
  static let cases: [FixtureCase] = {
    guard let data = try? Data(contentsOf: Fixtures.folder.appendingPathComponent("options.json")) else { return [] }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return (try? decoder.decode(RuleFixtureFile.self, from: data).cases) ?? []
  }()

  @Test func everyCaseIsLoadedAndBuilt() throws {
    #expect(Self.cases.count == 59)
    #expect(Self.cases.filter { $0.trajectory32 == nil }.map(\.name) == ["RMSProp/optax/centred-bias-correction", "RMSProp/optax/everything"])
    for c in Self.cases { _ = try OptionRuleFactory().make(c, from: AffineModel<Double>(weight: .zeros([2, 3]), bias: .zeros([3]))) }
  }

  @Test(arguments: OptionFixtureTests.cases)
  func matchesReference(_ c: FixtureCase) throws {
    let replay = ReferenceFixtureTests()
    let error64 = try replay.run(
      c, as: Double.self, expected: c.trajectory, floor: ReferenceFixtureTests.doubleFloor, tracksScale: false,
      factory: OptionRuleFactory())
    #expect(error64 <= ReferenceFixtureTests.doubleTolerance, "\(c.name): float64 trajectory differs by \(error64) relative")
    // Two centred, bias-corrected RMSProp cases carry no float32 run (see the generator): v/c − (m/c)² cancels.
    guard let trajectory32 = c.trajectory32 else { return }
    let error32 = try replay.run(
      c, as: Float.self, expected: trajectory32, floor: ReferenceFixtureTests.floatFloor, tracksScale: true,
      factory: OptionRuleFactory())
    #expect(error32 <= ReferenceFixtureTests.floatTolerance, "\(c.name): float32 trajectory differs by \(error32) relative")
  }
}

/// Builds the optimiser of an `options.json` case from its hyperparameters
/// (Swift labels) and options.
struct OptionRuleFactory: StepperFactory {
  func make<P: Differentiable>(_ c: FixtureCase, from initial: P) throws -> Stepper<P> {
    if c.options["family"] == "porting" { return try PortingRuleFactory().make(c, from: initial) }
    let h = { (key: String) throws -> Double in try c.number(key) }
    switch c.rule {
    case "Momentum":
      return stepper(
        Momentum<P>(learningRate: try h("learningRate"), momentum: try h("momentum"), dampening: try h("dampening")),
        from: initial)
    case "Adam":
      return stepper(
        Adam<P>(
          learningRate: try h("learningRate"), beta1: try h("beta1"), beta2: try h("beta2"), epsilon: try h("epsilon"),
          epsilonRoot: try h("epsilonRoot")), from: initial)
    case "AdamW":
      return stepper(
        AdamW<P>(
          learningRate: try h("learningRate"), beta1: try h("beta1"), beta2: try h("beta2"), epsilon: try h("epsilon"),
          weightDecay: try h("weightDecay"), epsilonRoot: try h("epsilonRoot")), from: initial)
    case "AMSGrad":
      return stepper(
        AMSGrad<P>(
          learningRate: try h("learningRate"), beta1: try h("beta1"), beta2: try h("beta2"), epsilon: try h("epsilon"),
          variant: try referenceVariant(c), epsilonRoot: try h("epsilonRoot")), from: initial)
    case "NAdam":
      return stepper(
        NAdam<P>(
          learningRate: try h("learningRate"), beta1: try h("beta1"), beta2: try h("beta2"), epsilon: try h("epsilon"),
          variant: try referenceVariant(c), epsilonRoot: try h("epsilonRoot")), from: initial)
    case "RAdam":
      return stepper(
        RAdam<P>(
          learningRate: try h("learningRate"), beta1: try h("beta1"), beta2: try h("beta2"), epsilon: try h("epsilon"),
          threshold: try h("threshold"), variant: try referenceVariant(c), epsilonRoot: try h("epsilonRoot")),
        from: initial)
    case "LAMB":
      return stepper(
        LAMB<P>(
          learningRate: try h("learningRate"), beta1: try h("beta1"), beta2: try h("beta2"), epsilon: try h("epsilon"),
          weightDecay: try h("weightDecay"), epsilonRoot: try h("epsilonRoot")), from: initial)
    case "AdaGrad":
      return stepper(
        AdaGrad<P>(
          learningRate: try h("learningRate"), initialAccumulatorValue: try h("initialAccumulatorValue"),
          epsilon: try h("epsilon"), epsilonPlacement: try placement(c)), from: initial)
    case "RMSProp":
      return stepper(
        RMSProp<P>(
          learningRate: try h("learningRate"), rho: try h("rho"), epsilon: try h("epsilon"), momentum: try h("momentum"),
          centred: try c.flag("centred"), epsilonPlacement: try placement(c), initialScale: try h("initialScale"),
          biasCorrection: try c.flag("biasCorrection"), nesterov: try c.flag("nesterov")), from: initial)
    case "OptimisticGradientDescent":
      return stepper(
        OptimisticGradientDescent<P>(learningRate: try h("learningRate"), alpha: try h("alpha"), beta: try h("beta")),
        from: initial)
    case "NovoGrad":
      return stepper(
        NovoGrad<P>(
          learningRate: try h("learningRate"), beta1: try h("beta1"), beta2: try h("beta2"), epsilon: try h("epsilon"),
          epsilonRoot: try h("epsilonRoot"), weightDecay: try h("weightDecay")), from: initial)
    case "ASGD":
      return stepper(
        ASGD<P>(
          learningRate: try h("learningRate"), lambda: try h("lambda"), alpha: try h("alpha"), t0: try h("t0"),
          weightDecay: try h("weightDecay")), from: initial)
    case "ClipBlockRMS":
      let clip = ClipBlockRMS(try h("threshold"))
      return c.reference.contains("optax.adam(")
        ? stepper(Chain(clip, Adam<P>(learningRate: try h("learningRate"))), from: initial)
        : stepper(Chain(clip, SGD<P>(learningRate: try h("learningRate"))), from: initial)
    case "SkipNonFinite":
      let inner = Chain(ClipValue(try h("clip")), SGD<P>(learningRate: try h("learningRate")))
      let wrapped = SkipNonFinite(inner, policy: .applyPastLimit, maxConsecutive: Int(try h("maxConsecutive")))
      var state = wrapped.initialState(for: initial)
      return { params, gradient in
        do { try wrapped.checkedUpdate(&state, &params, gradient) } catch { Issue.record("\(c.name): \(error)") }
      }
    default:
      throw FixtureError.unknownRule(c.rule)
    }
  }

  func placement<P: Differentiable>(_ c: FixtureCase) throws -> RMSProp<P>.EpsilonPlacement {
    switch try c.option("epsilonPlacement") {
    case "inside": return .inside
    case "outside": return .outside
    case let other: throw FixtureError.unknownOption("\(c.name): epsilonPlacement '\(other)'")
    }
  }
}
