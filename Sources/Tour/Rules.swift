import Optimisers

/// Something that receives the tour's rules, one at a time, for one parameter
/// type.
protocol RuleRegistry {
  /// The parameter type the rules are built for.
  associatedtype Params: Differentiable

  /// Receives one rule: its display name, and how to build it for the learning
  /// rate the tour is trying.
  mutating func add<Rule: Optimiser>(_ name: String, _ make: (Double) -> Rule) where Rule.Params == Params
}

/// Every rule the tour trains, one line each, in the order of the legend.
///
/// To add a rule to the tour, add one line here. The argument of the closure is
/// the learning rate the tour is trying from the problem's grid; every other
/// hyperparameter keeps its default.
func registerRules<Registry: RuleRegistry>(_ registry: inout Registry) {
  typealias P = Registry.Params
  registry.add("SGD") { SGD<P>(learningRate: $0) }
  registry.add("Momentum") { Momentum<P>(learningRate: $0) }
  registry.add("Nesterov") { Nesterov<P>(learningRate: $0) }
  registry.add("Adam") { Adam<P>(learningRate: $0) }
  registry.add("AdamW") { AdamW<P>(learningRate: $0) }
  registry.add("AMSGrad") { AMSGrad<P>(learningRate: $0) }
  registry.add("NAdam") { NAdam<P>(learningRate: $0) }
  registry.add("RAdam") { RAdam<P>(learningRate: $0) }
  registry.add("AdaMax") { AdaMax<P>(learningRate: $0) }
  registry.add("AdaBelief") { AdaBelief<P>(learningRate: $0) }
  registry.add("Yogi") { Yogi<P>(learningRate: $0) }
  registry.add("OAdam") { OAdam<P>(learningRate: $0) }
  registry.add("RMSProp") { RMSProp<P>(learningRate: $0) }
  registry.add("AdaGrad") { AdaGrad<P>(learningRate: $0) }
  registry.add("AdaDelta") { AdaDelta<P>(learningRate: $0) }
  registry.add("Adafactor") { Adafactor<P>(learningRate: $0) }
  registry.add("Lion") { Lion<P>(learningRate: $0) }
  registry.add("Signum") { Signum<P>(learningRate: $0) }
  registry.add("Rprop") { Rprop<P>(learningRate: $0) }
  registry.add("LAMB") { LAMB<P>(learningRate: $0) }
  registry.add("LARS") { LARS<P>(learningRate: $0) }
  registry.add("ScheduleFreeAdamW") { ScheduleFreeAdamW<P>(learningRate: $0) }
  registry.add("ScheduleFreeSGD") { ScheduleFreeSGD<P>(learningRate: $0) }
  registry.add("ADOPT") { ADOPT<P>(learningRate: $0) }
  registry.add("Adan") { Adan<P>(learningRate: $0) }
  registry.add("AdEMAMix") { AdEMAMix<P>(learningRate: $0) }
  // Learning-rate free: their learningRate is a multiplier of the learnt step, documented to stay 1, so they
  // ignore the grid's rate (every grid point runs the same rule; the best is the first).
  registry.add("Prodigy") { _ in Prodigy<P>() }
  registry.add("DAdaptAdamW") { _ in DAdaptAdamW<P>() }
  // MARS on the matrices, its own AdamW (at the same rate) on every other leaf.
  registry.add("MARS") { MARS<P>(learningRate: $0, adamWLearningRate: $0) }
  // Muon trains the matrices (Regression, Classification, Digits); every other
  // leaf, and every leaf of the vector problems, goes to AdamW at the same rate.
  registry.add("Muon+AdamW") {
    Partition<P, _, _>(Muon<LeafGroup<P>>(learningRate: $0), for: .matrices, otherwise: AdamW<LeafGroup<P>>(learningRate: $0))
  }
  // SOAP rotates the matrices' moments into their Shampoo eigenbasis; vectors get Adam.
  registry.add("SOAP") { SOAP<P>(learningRate: $0) }
}

/// Collects the rules' names, for the legend and for `--rules`.
struct RuleNames: RuleRegistry {
  typealias Params = Double
  var names: [String] = []

  mutating func add<Rule: Optimiser>(_ name: String, _ make: (Double) -> Rule) where Rule.Params == Double {
    names.append(name)
  }

  /// The names of every registered rule, in registration order.
  static var all: [String] {
    var collector = RuleNames()
    registerRules(&collector)
    return collector.names
  }
}
