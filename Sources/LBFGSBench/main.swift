// Times one L-BFGS iteration on a 10⁶-parameter convex quadratic, without the
// objective's own cost, and compares it with torch.optim.LBFGS on the same
// machine and thread count, run right after by Benchmarks/torch_lbfgs_bench.py.
//
//   swift run -c release lbfgs-bench [--size N] [--threads T] [--history M]
//                                    [--iterations K] [--torch PYTHON]
//
// Also runs Rosenbrock from (−1.2, 1) to f ≤ 1e-10 with the strong Wolfe line
// search and prints the iterations (torch's run of the same configuration takes
// 37; `LBFGSBehaviourTests` compares the two).
import CommandLineSupport
import Foundation
import Optimisers

struct Options {
  var size = 1_000_000
  var threads = Parallelism.processorCount
  var history = 10
  var iterations = 30
  var repeats = 5
  var python: String?
}

func parse() -> Options {
  var options = Options()
  var rest = CommandLine.arguments.dropFirst()[...]
  func number(_ flag: String) -> Int {
    guard let text = rest.popFirst(), let value = Int(text), value > 0 else {
      FileHandle.standardError.write(Data("lbfgs-bench: \(flag) needs a positive integer\n".utf8))
      exit(2)
    }
    return value
  }
  while let argument = rest.popFirst() {
    switch argument {
    case "--size": options.size = number(argument)
    case "--threads": options.threads = number(argument)
    case "--history": options.history = number(argument)
    case "--iterations": options.iterations = number(argument)
    case "--repeats": options.repeats = number(argument)
    case "--torch": options.python = rest.popFirst()
    case "-h", "--help":
      print("usage: lbfgs-bench [--size N] [--threads T] [--history M] [--iterations K] [--repeats R] [--torch PYTHON]")
      exit(0)
    default:
      FileHandle.standardError.write(Data("lbfgs-bench: unknown option \(argument)\n".utf8))
      exit(2)
    }
  }
  return options
}

func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// f(x) = ½ Σ aᵢ (xᵢ − 1)², aᵢ = 1 + 999 uᵢ: the benchmark's objective.
struct Quadratic: Sendable {
  let curvatures: [Double]

  init(size: Int) {
    var generator = SplitMix64(seed: 7)
    curvatures = (0..<size).map { _ in 1 + 999 * generator.nextUnitInterval() }
  }

  func callAsFunction(_ x: Tensor<Double>) -> (value: Double, gradient: Tensor<Double>) {
    var value = 0.0
    let gradient = [Double](unsafeUninitializedCapacity: curvatures.count) { g, count in
      x.withUnsafeBufferPointer { x in
        curvatures.withUnsafeBufferPointer { a in
          for i in 0..<a.count {
            let r = x[i] - 1
            let ar = a[i] * r
            g[i] = ar
            value += r * ar
          }
        }
      }
      count = curvatures.count
    }
    return (0.5 * value, Tensor(gradient))
  }
}

func measureSwift(_ options: Options) throws -> (perIteration: Double, objective: Double) {
  let objective = Quadratic(size: options.size)
  let clock = ContinuousClock()
  var samples: [Double] = [], perCall: [Double] = []
  try Parallelism.$current.withValue(Parallelism(maximumThreads: options.threads)) {
    for _ in 0..<options.repeats {
      var x = Tensor<Double>(repeating: 0, shape: [options.size])
      let warmUp = LBFGS<Tensor<Double>>(
        historySize: options.history, maximumIterations: options.history + 2, maximumEvaluations: .max,
        gradientTolerance: 0, changeTolerance: 0)
      var state = warmUp.initialState(for: x)
      try warmUp.step(&state, &x, objective: objective.callAsFunction)
      precondition(state.stepDifferences.count == options.history, "history not full")
      var timed = warmUp
      timed.maximumIterations = options.iterations
      // The objective's own time, measured call by call inside the timed step
      // (as the torch script does), is subtracted.
      var spent = 0.0
      let start = clock.now
      let report = try timed.step(&state, &x) { p in
        let begin = clock.now
        defer { spent += seconds(clock.now - begin) }
        return objective(p)
      }
      let elapsed = seconds(clock.now - start)
      samples.append((elapsed - spent) / Double(report.iterations))
      perCall.append(spent / Double(report.evaluations))
    }
  }
  samples.sort()
  perCall.sort()
  return (samples[samples.count / 2], perCall[perCall.count / 2])
}

func rosenbrock(_ p: Tensor<Double>) -> (value: Double, gradient: Tensor<Double>) {
  let s = p.scalars
  let r = s[1] - s[0] * s[0], a = 1 - s[0]
  return (a * a + 100 * (r * r), Tensor([-2 * a - 400 * s[0] * r, 200 * r]))
}

func runTorch(_ python: String, _ options: Options) -> [String: Any]? {
  runBenchmarkScript(python: python, script: "torch_lbfgs_bench.py", arguments: [
    "--size", "\(options.size)", "--threads", "\(options.threads)", "--history", "\(options.history)",
    "--iterations", "\(options.iterations)", "--repeats", "\(options.repeats)",
  ])
}

let options = parse()
#if DEBUG
print("lbfgs-bench: a debug build; run `swift run -c release lbfgs-bench` for meaningful times")
#endif
print("L-BFGS, m = \(options.history), n = \(options.size), \(options.threads) thread(s), fixed step, \(options.iterations) timed iterations")
do {
  let swift = try measureSwift(options)
  print(String(format: "  Swift:  %.3f ms per iteration (objective %.3f ms per call, subtracted)",
               swift.perIteration * 1e3, swift.objective * 1e3))
  if let python = options.python, let torch = runTorch(python, options),
    let perIteration = torch["secondsPerIteration"] as? Double
  {
    let objective = torch["objectiveSeconds"] as? Double ?? .nan
    print(String(format: "  torch %@: %.3f ms per iteration (objective %.3f ms per call, subtracted), %@ thread(s)",
                 "\(torch["torch"] ?? "?")", perIteration * 1e3, objective * 1e3, "\(torch["threads"] ?? "?")"))
    print(String(format: "  torch / Swift = %.2f", perIteration / swift.perIteration))
  }
  // torch's defaults stall near f = 3·10⁻¹⁰ (tolerance_change ends every step
  // at once), so the tolerances are tightened, as in the tests' torch run.
  let lbfgs = LBFGS<Tensor<Double>>(
    maximumIterations: 100, gradientTolerance: 1e-12, changeTolerance: 1e-14, lineSearch: .strongWolfe())
  var x = Tensor([-1.2, 1.0])
  var state = lbfgs.initialState(for: x)
  while rosenbrock(x).value > 1e-10 && state.iteration < 1000 { try lbfgs.step(&state, &x, objective: rosenbrock) }
  print("Rosenbrock from (-1.2, 1), strong Wolfe: f = \(rosenbrock(x).value) after \(state.iteration) iterations, \(state.evaluations) evaluations")
} catch {
  print("lbfgs-bench: \(error)")
  exit(1)
}
