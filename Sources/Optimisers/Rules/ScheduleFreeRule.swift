/// A Schedule-Free rule (``ScheduleFreeAdamW``, ``ScheduleFreeSGD``): before
/// each step the warmed-up rate joins the averaging sums of its state, the
/// step moves *z* and the trained parameters *y* with the step's
/// coefficients (`ScheduleFreeMove`), and the parameters to evaluate, *x*,
/// follow from the state and *y*.
///
/// - References: Defazio et al., *The Road Less Scheduled*, 2024.
public protocol ScheduleFreeRule: KernelRule where State == ScheduleFreeState<Params, Self> {
  /// The peak learning rate γ.
  var learningRate: Double { get }
  /// The length of the linear warm-up, in steps.
  var warmupSteps: Int { get }
  /// The power *r* of the step count in the averaging weight.
  var stepPower: Double { get }
  /// The power of the largest rate so far in the averaging weight.
  var weightLearningRatePower: Double { get }
  /// Which reference's arithmetic to follow.
  var variant: ScheduleFreeVariant { get }
  /// β, the interpolation between *x* and *z* that gives *y* (β₁ for AdamW,
  /// the momentum for SGD).
  var averagingBeta: Double { get }
}

extension ScheduleFreeRule {
  /// Records the step's rate in the averaging sums, then runs the step.
  @inlinable
  public func update<Map: GradientMap>(
    _ state: inout State, _ params: inout Params, _ gradient: Params.TangentVector, preprocessing map: Map
  ) {
    requireValidHyperparameters()
    let t = state.step + 1
    state.advanceAverage(
      rate: ScheduleFreeMove<Scalar>.scheduledRate(learningRate, warmupSteps: warmupSteps, step: t, variant: variant),
      step: t, stepPower: stepPower, weightPower: weightLearningRatePower)
    runStep(&state, &params, gradient, preprocessing: map)
  }

  /// The parameters to evaluate, *x*, from the state and the trained
  /// parameters *y*; neither is changed. Before the first step *x* = *y*.
  ///
  /// - Complexity: O(*n*).
  @inlinable public func evaluationParameters(_ state: State, _ params: Params) -> Params {
    state.evaluationParameters(params, beta: averagingBeta, variant: variant)
  }

  /// Step *t*'s coefficients, read from the state before the step's kernel runs.
  @inlinable
  func coefficients<Map: GradientMap>(_ t: Int, _ walk: Walk<Params, State, Map>) -> ScheduleFreeMove<Scalar> {
    walk.read {
      ScheduleFreeMove<Scalar>(
        $0, step: t, learningRate: learningRate, warmupSteps: warmupSteps, beta: averagingBeta, stepPower: stepPower,
        weightPower: weightLearningRatePower, variant: variant)
    }
  }
}
