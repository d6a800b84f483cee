// Renders the schedules of the Optimisers package as an SVG plot, so you can look
// at a schedule before training with it.
//
//     swift run schedule-plot                    # writes schedules.svg
//     swift run schedule-plot --output plot.svg
import Foundation
import Optimisers

let usage = """
  usage: schedule-plot [--output PATH] [--steps N]

  Plots the learning-rate schedules of the Optimisers package against the step
  (0 = the first update) and writes the figure as SVG.

    --output PATH   where to write the SVG (default: schedules.svg)
    --steps N       the number of steps plotted (default: 1000, at least 100)
    --help          show this help
  """

var output = "schedules.svg"
var steps = 1000
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
  switch argument {
  case "--help", "-h":
    print(usage)
    exit(0)
  case "--output", "-o":
    guard let path = arguments.popFirst() else {
      FileHandle.standardError.write(Data("schedule-plot: --output needs a path\n".utf8))
      exit(2)
    }
    output = path
  case "--steps":
    guard let text = arguments.popFirst(), let value = Int(text), value >= 100 else {
      FileHandle.standardError.write(Data("schedule-plot: --steps needs a whole number ≥ 100\n".utf8))
      exit(2)
    }
    steps = value
  default:
    FileHandle.standardError.write(Data("schedule-plot: unknown argument \(argument)\n\n\(usage)\n".utf8))
    exit(2)
  }
}

let n = steps

/// The schedule's values at steps 0..<n as a plot series.
func series<S: Schedule>(_ name: String, _ schedule: S, steps n: Int = n) -> SVGFigure.Series {
  SVGFigure.Series(name: name, points: (0..<n).map { (Double($0), schedule($0)) })
}
let peak = 0.1

// A simulated validation loss, one value every `epoch` steps, feeding a plateau
// factor that multiplies a warmup-cosine schedule.
let epoch = max(n / 40, 1)
let cosine = WarmupCosine(peak: peak, warmupSteps: n / 20, decaySteps: n)
var plateau = ReduceOnPlateau(factor: 0.5, patience: 2)
var plateauPoints: [(x: Double, y: Double)] = []
var generator = SplitMix64(seed: 7)
for step in 0..<n {
  if step > 0 && step % epoch == 0 {
    let e = Double(step / epoch)
    let loss = 0.4 + 1 / (1 + e / 3) + 0.03 * generator.nextUnitInterval()
    plateau.advance(with: loss)
  }
  plateauPoints.append((Double(step), (cosine * plateau)(step)))
}

let figure = SVGFigure(
  title: "Optimisers schedules",
  subtitle: "value against step (step 0 is the first update), \(n) steps",
  panels: [
    .init(title: "Decays", series: [
      series("StepDecay", StepDecay(initial: peak, factor: 0.5, stepSize: n / 5)),
      series("ExponentialDecay (staircase)",
             ExponentialDecay(initial: peak, transitionSteps: n / 10, decayRate: 0.75, staircase: true)),
      series("PolynomialDecay (p = 2)", PolynomialDecay(initial: peak, end: 0.005, exponent: 2, transitionSteps: n)),
      series("CosineDecay (α = 0.1)", CosineDecay(initial: peak, decaySteps: n, alpha: 0.1)),
      series("InverseDecay", InverseDecay(initial: peak, decay: 20 / Double(n))),
    ]),
    .init(title: "Warmup", series: [
      series("WarmupCosine", WarmupCosine(peak: peak, warmupSteps: n / 10, decaySteps: n, end: 0.01)),
      series("Warmup(ExponentialDecay)",
             Warmup(ExponentialDecay(initial: 0.08, transitionSteps: n / 10, decayRate: 0.7), steps: n / 5)),
      series("LinearSchedule", LinearSchedule(initial: 0.02, end: 0.06, transitionSteps: n / 2, transitionBegin: n / 4)),
    ]),
    .init(title: "Restarts and cycles", series: [
      series("CosineAnnealingWarmRestarts (×2)",
             CosineAnnealingWarmRestarts(initial: peak, period: n / 15, periodMultiplier: 2, minimum: 0.005)),
      series("Cyclic triangular2", Cyclic(base: 0.01, maximum: 0.08, stepSizeUp: n / 10, mode: .triangular2)),
    ]),
    .init(title: "One cycle", series: [
      series("OneCycle cosine", OneCycle(peak: peak, totalSteps: n)),
      series("OneCycle linear", OneCycle(peak: peak, totalSteps: n, annealing: .linear)),
      series("OneCycle three-phase", OneCycle(peak: 0.08, totalSteps: n, threePhase: true)),
    ]),
    .init(title: "Combinators", series: [
      series("Joined: linear, cosine, constant",
             LinearSchedule(initial: 0, end: peak, transitionSteps: n / 10)
               .followed(by: CosineDecay(initial: peak, decaySteps: n / 2, alpha: 0.2)
                 .followed(by: Constant(value: 0.03), at: n / 2), at: n / 10)),
      series("Looped(CosineDecay)", CosineDecay(initial: 0.06, decaySteps: n / 4).looped(period: n / 4)),
      series("Clamped(Cyclic, 0.02…0.05)",
             Cyclic(base: 0, maximum: 0.07, stepSizeUp: n / 8).clamped(to: 0.02...0.05)),
    ]),
    .init(title: "Metric-driven: WarmupCosine × ReduceOnPlateau", series: [
      series("WarmupCosine", cosine),
      SVGFigure.Series(name: "× plateau factor (fed a loss)", points: plateauPoints),
    ]),
  ])

do {
  try figure.render().write(toFile: output, atomically: true, encoding: .utf8)
  print("wrote \(output)")
} catch {
  FileHandle.standardError.write(Data("schedule-plot: cannot write \(output): \(error)\n".utf8))
  exit(1)
}
