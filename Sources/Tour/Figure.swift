import Foundation

/// The results of every rule on one problem.
struct ProblemOutcome {
  var name: String
  var summary: String
  var steps: Int
  var tolerance: Double
  var results: [RunResult]
}

/// Draws the tour's figure: the Rosenbrock contour plot with every rule's
/// trajectory, one log-scale loss panel per problem, and a legend.
func drawFigure(_ outcomes: [ProblemOutcome], rules: [String]) -> String {
  let panelWidth = 350.0, panelHeight = 250.0
  let contourSize = 600.0
  let left = 70.0, top = 70.0
  let gridLeft = left + contourSize + 90
  let columns = 2
  let rows = max(3, (outcomes.count + 1 + columns - 1) / columns)  // the panels and the legend
  var svg = SVGDocument(width: gridLeft + Double(columns) * (panelWidth + 80) - 20, height: top + Double(rows) * (panelHeight + 70) + 10)

  svg.text("Optimisers tour: every rule at its best learning rate from a grid", x: left, y: 32, size: 20, weight: "bold")
  svg.text("swift run tour — loss on a log scale against updates; one colour per rule", x: left, y: 54, size: 13, fill: "#555")

  var panelIndex = 0
  if let rosenbrock = outcomes.first(where: { $0.name == Rosenbrock().name }) {
    drawRosenbrockContours(&svg, rosenbrock, rules: rules, frame: Rect(x: left, y: top + 20, width: contourSize, height: contourSize))
  }
  for outcome in outcomes {
    let column = panelIndex % columns, row = panelIndex / columns
    let frame = Rect(x: gridLeft + Double(column) * (panelWidth + 80), y: top + 20 + Double(row) * (panelHeight + 70),
                     width: panelWidth, height: panelHeight)
    drawLossPanel(&svg, outcome, rules: rules, frame: frame)
    panelIndex += 1
  }
  let notes = [
    "Every rule starts from the same point at each learning rate of the problem's grid;",
    "the run kept is the one whose loss reaches the tolerance (dashed line) and stays",
    "there soonest, or else the one with the lowest final loss. Other hyperparameters",
    "keep their defaults. Loss curves show the largest loss within each pixel column,",
    "so a loss that jumps from step to step draws as its upper envelope. Dots mark",
    "where each trajectory ends. `swift run tour --help` lists the options.",
  ]
  for (index, note) in notes.enumerated() {
    svg.text(note, x: left, y: top + contourSize + 85 + Double(index) * 20, size: 14, fill: "#444")
  }
  // The legend goes in the next free slot of the grid (or under the contour plot).
  let present = rules.filter { rule in outcomes.contains { $0.results.contains { $0.rule == rule } } }
  let column = panelIndex % columns, row = panelIndex / columns
  let legendFrame = row < rows
    ? Rect(x: gridLeft + Double(column) * (panelWidth + 80), y: top + 20 + Double(row) * (panelHeight + 70), width: panelWidth, height: panelHeight)
    : Rect(x: left, y: top + contourSize + 60, width: contourSize, height: 200)
  drawLegend(&svg, present, rules: rules, frame: legendFrame)
  return svg.text
}

private func drawRosenbrockContours(_ svg: inout SVGDocument, _ outcome: ProblemOutcome, rules: [String], frame: Rect) {
  let xRange = (-2.0, 2.0), yRange = (-1.0, 3.0)
  func sx(_ x: Double) -> Double { frame.x + (x - xRange.0) / (xRange.1 - xRange.0) * frame.width }
  func sy(_ y: Double) -> Double { frame.maxY - (y - yRange.0) / (yRange.1 - yRange.0) * frame.height }

  svg.text("Rosenbrock: trajectories from (−1.2, 1) to the minimum at (1, 1)", x: frame.x, y: frame.y - 10, size: 15, weight: "bold")
  let clip = svg.clip(frame)
  // Sample log f on a grid and draw log-spaced level sets.
  let samples = 161
  let grid: [[Double]] = (0..<samples).map { j in
    let y = yRange.0 + (yRange.1 - yRange.0) * Double(j) / Double(samples - 1)
    return (0..<samples).map { i in
      let x = xRange.0 + (xRange.1 - xRange.0) * Double(i) / Double(samples - 1)
      return log10(Rosenbrock.value(x, y))
    }
  }
  let levels: [Double] = [0.03, 0.3, 1, 3, 10, 30, 100, 300, 1000, 2500]
  for (index, level) in levels.enumerated() {
    let shade = 120 + Int(Double(index) / Double(levels.count - 1) * 90)
    let stroke = "rgb(\(shade),\(shade),\(shade))"
    var path = ""
    for (a, b) in contourSegments(values: grid, level: log10(level)) {
      let ax = frame.x + a.0 / Double(samples - 1) * frame.width, ay = frame.maxY - a.1 / Double(samples - 1) * frame.height
      let bx = frame.x + b.0 / Double(samples - 1) * frame.width, by = frame.maxY - b.1 / Double(samples - 1) * frame.height
      path += "M\(fmt(ax)) \(fmt(ay))L\(fmt(bx)) \(fmt(by))"
    }
    svg.append("<path d=\"\(path)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"0.8\" clip-path=\"url(#\(clip))\"/>")
  }
  svg.rect(frame)
  // Axes: ticks every 0.5 units, labelled every unit.
  var x = xRange.0
  while x <= xRange.1 + 1e-9 {
    svg.line(sx(x), frame.maxY, sx(x), frame.maxY + 5, stroke: "#444")
    svg.text(label(x), x: sx(x), y: frame.maxY + 19, size: 12, anchor: "middle")
    x += 0.5
  }
  var y = yRange.0
  while y <= yRange.1 + 1e-9 {
    svg.line(frame.x - 5, sy(y), frame.x, sy(y), stroke: "#444")
    svg.text(label(y), x: frame.x - 8, y: sy(y) + 4, size: 12, anchor: "end")
    y += 0.5
  }
  svg.text("x", x: frame.x + frame.width / 2, y: frame.maxY + 38, size: 14, anchor: "middle")
  svg.text("y", x: frame.x - 42, y: frame.y + frame.height / 2, size: 14, anchor: "middle")

  for result in outcome.results {
    let points = thin(result.trajectory.map { (sx($0.x), sy($0.y)) }, spacing: 1.5)
    let stroke = colour(for: result.rule, among: rules)
    svg.polyline(points, stroke: stroke, width: 2, clip: clip, opacity: 0.9, dash: dash(for: result.rule, among: rules))
    if let end = points.last, end.0 >= frame.x, end.0 <= frame.maxX, end.1 >= frame.y, end.1 <= frame.maxY {
      svg.circle(end.0, end.1, radius: 4, fill: stroke, stroke: "white")
    }
  }
  svg.circle(sx(-1.2), sy(1), radius: 5, fill: "black")
  svg.text("start", x: sx(-1.2) - 8, y: sy(1) - 9, size: 12, anchor: "middle")
  svg.append("<path d=\"M\(fmt(sx(1) - 7)) \(fmt(sy(1) - 7))L\(fmt(sx(1) + 7)) \(fmt(sy(1) + 7))M\(fmt(sx(1) - 7)) \(fmt(sy(1) + 7))L\(fmt(sx(1) + 7)) \(fmt(sy(1) - 7))\" stroke=\"black\" stroke-width=\"2.5\"/>")
  svg.text("minimum", x: sx(1) + 10, y: sy(1) + 18, size: 12)
}

private func drawLossPanel(_ svg: inout SVGDocument, _ outcome: ProblemOutcome, rules: [String], frame: Rect) {
  svg.text(outcome.name, x: frame.x, y: frame.y - 10, size: 15, weight: "bold")
  if outcome.tolerance.isFinite {
    svg.text("tolerance \(scientific(outcome.tolerance))", x: frame.maxX, y: frame.y - 10, size: 12, anchor: "end", fill: "#555")
  }
  // The vertical range in whole decades, at most 16 of them.
  let positive = outcome.results.flatMap { $0.losses.filter { $0 > 0 && $0.isFinite } }
  let high = ceil(log10(positive.max() ?? 1))
  let low = max(floor(log10(positive.min() ?? 1e-16)), high - 16, -300)
  let top = high > low ? high : low + 1
  let steps = Double(max(outcome.steps, 1))
  func sx(_ step: Double) -> Double { frame.x + step / steps * frame.width }
  func sy(_ loss: Double) -> Double {
    let decade = loss > 0 ? log10(loss) : low - 1
    return frame.maxY - (decade - low) / (top - low) * frame.height
  }
  let clip = svg.clip(frame)
  // Decade grid lines and labels, thinned to at most 8 labels.
  let decades = Int(top - low)
  let labelEvery = max(1, (decades + 7) / 8)
  for decade in stride(from: Int(low), through: Int(top), by: 1) {
    let y = sy(pow(10, Double(decade)))
    svg.line(frame.x, y, frame.maxX, y, stroke: "#e6e6e6")
    if (decade - Int(low)) % labelEvery == 0 {
      svg.line(frame.x - 5, y, frame.x, y, stroke: "#444")
      svg.text("1e\(decade)", x: frame.x - 8, y: y + 4, size: 11, anchor: "end")
    }
  }
  let tolerance = sy(outcome.tolerance)
  if tolerance >= frame.y && tolerance <= frame.maxY {
    svg.append("<line x1=\"\(fmt(frame.x))\" y1=\"\(fmt(tolerance))\" x2=\"\(fmt(frame.maxX))\" y2=\"\(fmt(tolerance))\" stroke=\"#888\" stroke-dasharray=\"5 4\"/>")
  }
  for tick in 0...4 {
    let step = steps * Double(tick) / 4
    svg.line(sx(step), frame.maxY, sx(step), frame.maxY + 5, stroke: "#444")
    svg.text(String(Int(step)), x: sx(step), y: frame.maxY + 18, size: 11, anchor: "middle")
  }
  svg.text("updates", x: frame.x + frame.width / 2, y: frame.maxY + 34, size: 12, anchor: "middle", fill: "#555")
  svg.text("loss", x: frame.x - 50, y: frame.y + frame.height / 2, size: 12, anchor: "middle", fill: "#555", rotate: -90)
  // The best rules last, so they are drawn on top.
  for result in outcome.results.reversed() {
    let losses = result.losses.map { $0.isFinite ? $0 : pow(10, top + 1) }
    svg.polyline(upperEnvelope(losses, x: sx, y: sy), stroke: colour(for: result.rule, among: rules), width: 1.5,
                 clip: clip, dash: dash(for: result.rule, among: rules))
  }
  svg.rect(frame)
}

/// The largest loss within each pixel column, so that a loss that oscillates
/// from step to step draws as its upper envelope rather than as a solid band.
private func upperEnvelope(_ losses: [Double], x sx: (Double) -> Double, y sy: (Double) -> Double) -> [(Double, Double)] {
  var points: [(Double, Double)] = []
  var column = Int.min
  var worst = 0.0
  var worstStep = 0
  for (step, loss) in losses.enumerated() {
    let pixel = Int(sx(Double(step)).rounded(.down))
    if pixel != column {
      if column != Int.min { points.append((sx(Double(worstStep)), sy(worst))) }
      column = pixel
      worst = loss
      worstStep = step
    } else if loss > worst {
      worst = loss
      worstStep = step
    }
  }
  if column != Int.min { points.append((sx(Double(worstStep)), sy(worst))) }
  return points
}

private func drawLegend(_ svg: inout SVGDocument, _ present: [String], rules: [String], frame: Rect) {
  svg.text("Rules", x: frame.x, y: frame.y - 10, size: 15, weight: "bold")
  let perColumn = max(1, Int(frame.height / 22))
  let columnWidth = frame.width / Double(max(1, (present.count + perColumn - 1) / perColumn))
  for (index, rule) in present.enumerated() {
    let x = frame.x + Double(index / perColumn) * columnWidth
    let y = frame.y + 12 + Double(index % perColumn) * 22
    svg.polyline([(x, y), (x + 28, y)], stroke: colour(for: rule, among: rules), width: 3, dash: dash(for: rule, among: rules))
    svg.text(rule, x: x + 36, y: y + 5, size: 14)
  }
}

/// A tick label: integers without a decimal point.
private func label(_ value: Double) -> String {
  value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
}

/// Compact scientific notation: 1e-4, 2.5e-3.
func scientific(_ value: Double) -> String {
  guard value.isFinite else { return value.isNaN ? "nan" : "∞" }
  if value == 0 { return "0" }
  let text = String(format: "%.2e", value)
  // 1.00e-04 → 1e-4
  let parts = text.split(separator: "e")
  var mantissa = String(parts[0])
  while mantissa.contains(".") && (mantissa.hasSuffix("0") || mantissa.hasSuffix(".")) { mantissa.removeLast() }
  let exponent = Int(parts[1]) ?? 0
  return exponent == 0 ? mantissa : "\(mantissa)e\(exponent)"
}
