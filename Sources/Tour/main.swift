// The optimiser tour: trains every rule in the library on classic test problems,
// prints a ranked table per problem and draws an SVG of trajectories and loss
// curves. Run with `swift run tour` (add `-c release` for speed), or
// `swift run tour --help`.
import Foundation
import Optimisers

let problemNames = ["rosenbrock", "beale", "quadratic", "regression", "classifier", "digits", "precision"]

let usage = """
  Usage: swift run tour [options]

  Trains every optimiser rule on classic problems (Rosenbrock, Beale, an
  ill-conditioned quadratic, the seed's regression and classifier, and a real
  data set: a small network on the UCI handwritten digits, by mini-batches),
  each at its best learning rate from a small grid, prints a ranked table per
  problem and writes an SVG of the Rosenbrock trajectories and the loss curves.

  Options:
    -o, --output PATH     where to write the SVG (default: tour.svg)
    --no-plot             do not write the SVG
    --problems LIST       comma-separated subset of: \(problemNames.joined(separator: ", "))
    --rules LIST          comma-separated subset of: \(RuleNames.all.joined(separator: ", "))
    -h, --help            show this help

  """

struct Options {
  var output = "tour.svg"
  var plot = true
  var problems = Set(problemNames)
  var rules: Set<String>?
}

/// Parses `CommandLine.arguments`; prints usage and exits on `--help` or an error.
func parseOptions(_ arguments: [String]) -> Options {
  var options = Options()
  var remaining = arguments.dropFirst()[...]
  func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("tour: \(message)\n\n\(usage)".utf8))
    exit(2)
  }
  func value(for flag: String) -> String {
    guard let next = remaining.popFirst(), !next.hasPrefix("--") else { fail("\(flag) needs a value") }
    return next
  }
  func list(_ text: String, from allowed: [String], flag: String) -> Set<String> {
    let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    let known = Set(allowed.map { $0.lowercased() })
    for item in items where !known.contains(item) {
      fail("unknown name '\(item)' for \(flag); choose from \(allowed.joined(separator: ", "))")
    }
    return Set(items)
  }
  while let argument = remaining.popFirst() {
    switch argument {
    case "-h", "--help":
      print(usage, terminator: "")
      exit(0)
    case "-o", "--output": options.output = value(for: argument)
    case "--no-plot": options.plot = false
    case "--problems": options.problems = list(value(for: argument), from: problemNames, flag: argument)
    case "--rules": options.rules = list(value(for: argument), from: RuleNames.all + ObjectiveRuns.names, flag: argument)
    default: fail("unknown option '\(argument)'")
    }
  }
  return options
}

/// Trains every selected rule on `problem` and prints the ranked table.
func run<Problem: TourProblem>(_ problem: Problem, rules: Set<String>?) -> ProblemOutcome {
  var runner = ProblemRunner(problem: problem, selectedRules: rules, totalRules: rules?.count ?? RuleNames.all.count)
  registerRules(&runner)
  runner.results += ObjectiveRuns.results(problem, selectedRules: rules)
  runner.progress.finish()
  let ranked = runner.results.sorted { $0.isBetter(than: $1) }
  printTable(problem, ranked)
  return ProblemOutcome(name: problem.name, summary: problem.summary, steps: problem.steps,
                        tolerance: problem.tolerance, results: ranked)
}

func printTable<Problem: TourProblem>(_ problem: Problem, _ ranked: [RunResult]) {
  let rates = problem.learningRates.map(scientific)
  print("\(problem.name): \(problem.summary)")
  print("  \(problem.steps) updates per run; tolerance \(scientific(problem.tolerance)); learning rates tried: \(rates.joined(separator: ", "))")
  let header = ["rank", "rule", "rate", "final loss", "steps to tol", "time", ""]
  var rows: [[String]] = []
  for (index, result) in ranked.enumerated() {
    rows.append([
      "\(index + 1)", result.rule, scientific(result.learningRate),
      result.diverged ? "diverged" : scientific(result.finalLoss),
      result.stepsToTolerance.map(String.init) ?? "—",
      String(format: "%.1f ms", result.seconds * 1000),
      result.remark.flatMap { $0 == "diverged" ? nil : $0 } ?? "",
    ])
  }
  let widths = header.indices.map { column in
    ([header[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
  }
  let rightAligned: Set<Int> = [0, 2, 3, 4, 5]
  let shown = header.indices.filter { widths[$0] > 0 }   // drop an empty remarks column
  func render(_ cells: [String]) -> String {
    var line = "  " + shown.map { column in
      let cell = cells[column]
      let padding = String(repeating: " ", count: widths[column] - cell.count)
      return rightAligned.contains(column) ? padding + cell : cell + padding
    }.joined(separator: "  ")
    while line.hasSuffix(" ") { line.removeLast() }
    return line
  }
  print(render(header))
  print("  " + shown.map { String(repeating: "─", count: widths[$0]) }.joined(separator: "  "))
  for row in rows { print(render(row)) }
  print()
}

let options = parseOptions(CommandLine.arguments)
#if DEBUG
FileHandle.standardError.write(Data("tour: a debug build; `swift run -c release tour` runs it about 30 times faster\n\n".utf8))
#endif
var outcomes: [ProblemOutcome] = []
if options.problems.contains("rosenbrock") { outcomes.append(run(Rosenbrock(), rules: options.rules)) }
if options.problems.contains("beale") { outcomes.append(run(Beale(), rules: options.rules)) }
if options.problems.contains("quadratic") { outcomes.append(run(IllConditionedQuadratic(), rules: options.rules)) }
if options.problems.contains("regression") { outcomes.append(run(Regression(), rules: options.rules)) }
if options.problems.contains("classifier") { outcomes.append(run(Classification(), rules: options.rules)) }
if options.problems.contains("digits"), let digits = runDigits(rules: options.rules) { outcomes.append(digits) }
if options.problems.contains("precision") {
  runLowerPrecision(Regression())
  runLowerPrecision(Classification())
}

if options.plot {
  let svg = drawFigure(outcomes, rules: RuleNames.all + ObjectiveRuns.names)
  do {
    try svg.write(toFile: options.output, atomically: true, encoding: .utf8)
    print("wrote \(options.output)")
  } catch {
    FileHandle.standardError.write(Data("tour: cannot write \(options.output): \(error)\n".utf8))
    exit(1)
  }
}
