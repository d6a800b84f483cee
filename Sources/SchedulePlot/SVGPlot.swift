import CommandLineSupport

// A small, self-contained SVG line-plot writer: a figure of panels, each with
// axes, "nice" ticks and tick labels, light grid lines, a title and a legend.
// No dependencies (not even Foundation); the result is a String of SVG.

/// A figure made of line-plot panels laid out in a grid.
struct SVGFigure {
  /// One curve: a name for the legend and its points (x, y).
  struct Series {
    var name: String
    var points: [(x: Double, y: Double)]
  }

  /// One plot with its own axes.
  struct Panel {
    var title: String
    var xLabel: String = "step"
    var series: [Series]
  }

  var title: String
  var subtitle: String = ""
  var panels: [Panel]
  var columns: Int = 2
  var panelWidth: Double = 600
  var panelHeight: Double = 330

  /// Distinguishable line colours (Okabe–Ito, then a few more).
  static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C564B"]

  /// The whole figure as an SVG document.
  func render() -> String {
    let rows = (panels.count + columns - 1) / columns
    let header = subtitle.isEmpty ? 56.0 : 78.0
    let width = panelWidth * Double(columns)
    let height = header + panelHeight * Double(rows)
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" \
      viewBox="0 0 \(fmt(width)) \(fmt(height))" font-family="Helvetica, Arial, sans-serif">
      <rect width="100%" height="100%" fill="white"/>
      <text x="\(fmt(width / 2))" y="36" font-size="24" font-weight="bold" text-anchor="middle">\(SVGText.escaped(title))</text>

      """
    if !subtitle.isEmpty {
      svg += "<text x=\"\(fmt(width / 2))\" y=\"62\" font-size=\"15\" fill=\"#444\" text-anchor=\"middle\">"
        + "\(SVGText.escaped(subtitle))</text>\n"
    }
    for (index, panel) in panels.enumerated() {
      let x = panelWidth * Double(index % columns)
      let y = header + panelHeight * Double(index / columns)
      svg += render(panel, x: x, y: y)
    }
    svg += "</svg>\n"
    return svg
  }

  /// One panel with its top-left corner at (x, y).
  func render(_ panel: Panel, x: Double, y: Double) -> String {
    let left = x + 78, right = x + panelWidth - 24
    let top = y + 40, bottom = y + panelHeight - 52
    let xs = panel.series.flatMap { $0.points.map(\.x) }
    let ys = panel.series.flatMap { $0.points.map(\.y) }.filter(\.isFinite)
    let xTicks = Self.niceTicks(lower: xs.min() ?? 0, upper: xs.max() ?? 1)
    let (x0, x1) = (xTicks.values.first!, xTicks.values.last!)
    func px(_ v: Double) -> Double { left + (v - x0) / (x1 - x0) * (right - left) }

    // The legend box goes in the corner that hides the fewest curve points; if
    // every corner hides some, the y axis gets headroom above the curves.
    let longest = panel.series.map(\.name.count).max() ?? 0
    let boxWidth = 44 + 7.2 * Double(longest)
    let boxHeight = 8 + 19 * Double(panel.series.count)
    var headroom = 0.0
    var yTicks = Self.niceTicks(lower: min(0, ys.min() ?? 0), upper: ys.max() ?? 1)
    var boxLeft = right - boxWidth - 6, boxTop = top + 6
    for attempt in 0..<2 {
      let (y0, y1) = (yTicks.values.first!, yTicks.values.last!)
      func py(_ v: Double) -> Double { bottom - (v - y0) / (y1 - y0) * (bottom - top) }
      let corners = [(right - boxWidth - 6, top + 6), (left + 6, top + 6),
                     (right - boxWidth - 6, bottom - boxHeight - 6), (left + 6, bottom - boxHeight - 6)]
      let hidden = corners.map { corner in
        panel.series.reduce(0) { count, series in
          count + series.points.filter { point in
            let (h, v) = (px(point.x), py(point.y))
            return h >= corner.0 - 4 && h <= corner.0 + boxWidth + 4 && v >= corner.1 - 4
              && v <= corner.1 + boxHeight + 4
          }.count
        }
      }
      let best = hidden.indices.min { hidden[$0] < hidden[$1] }!
      (boxLeft, boxTop) = corners[attempt == 0 && hidden[best] > 0 ? 0 : best]
      if hidden[best] == 0 || attempt == 1 { break }
      // Room for the legend above the highest curve.
      headroom = (boxHeight + 16) / (bottom - top - boxHeight - 16)
      let low = min(0, ys.min() ?? 0), high = ys.max() ?? 1
      yTicks = Self.niceTicks(lower: low, upper: high + (high - low) * headroom)
    }
    let (y0, y1) = (yTicks.values.first!, yTicks.values.last!)
    func py(_ v: Double) -> Double { bottom - (v - y0) / (y1 - y0) * (bottom - top) }

    var svg = "<g>\n"
    svg += "<text x=\"\(fmt((left + right) / 2))\" y=\"\(fmt(y + 26))\" font-size=\"17\" font-weight=\"bold\" "
      + "text-anchor=\"middle\">\(SVGText.escaped(panel.title))</text>\n"
    // Grid lines and tick labels.
    for value in yTicks.values {
      let v = py(value)
      svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(v))\" x2=\"\(fmt(right))\" y2=\"\(fmt(v))\" stroke=\"#e4e4e4\"/>\n"
      svg += "<text x=\"\(fmt(left - 7))\" y=\"\(fmt(v + 4.5))\" font-size=\"13\" text-anchor=\"end\">"
        + "\(Self.label(value, decimals: yTicks.decimals))</text>\n"
    }
    for value in xTicks.values {
      let h = px(value)
      svg += "<line x1=\"\(fmt(h))\" y1=\"\(fmt(top))\" x2=\"\(fmt(h))\" y2=\"\(fmt(bottom))\" stroke=\"#e4e4e4\"/>\n"
      svg += "<line x1=\"\(fmt(h))\" y1=\"\(fmt(bottom))\" x2=\"\(fmt(h))\" y2=\"\(fmt(bottom + 5))\" stroke=\"#333\"/>\n"
      svg += "<text x=\"\(fmt(h))\" y=\"\(fmt(bottom + 20))\" font-size=\"13\" text-anchor=\"middle\">"
        + "\(Self.label(value, decimals: xTicks.decimals))</text>\n"
    }
    // Axes.
    svg += "<polyline points=\"\(fmt(left)),\(fmt(top)) \(fmt(left)),\(fmt(bottom)) \(fmt(right)),\(fmt(bottom))\" "
      + "fill=\"none\" stroke=\"#333\" stroke-width=\"1.2\"/>\n"
    svg += "<text x=\"\(fmt((left + right) / 2))\" y=\"\(fmt(bottom + 40))\" font-size=\"14\" "
      + "text-anchor=\"middle\">\(SVGText.escaped(panel.xLabel))</text>\n"
    // Curves, then the legend on a translucent box above them: one pass over
    // the series writes a curve and its legend row.
    var legend = "<rect x=\"\(fmt(boxLeft))\" y=\"\(fmt(boxTop))\" width=\"\(fmt(boxWidth))\" "
      + "height=\"\(fmt(boxHeight))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#ccc\"/>\n"
    for (index, series) in panel.series.enumerated() {
      let colour = Self.palette[index % Self.palette.count]
      let points = series.points.filter { $0.y.isFinite }
        .map { "\(fmt(px($0.x))),\(fmt(py($0.y)))" }.joined(separator: " ")
      svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.2\" "
        + "stroke-linejoin=\"round\"/>\n"
      let rowY = boxTop + 17 + 19 * Double(index)
      legend += "<line x1=\"\(fmt(boxLeft + 8))\" y1=\"\(fmt(rowY - 4))\" x2=\"\(fmt(boxLeft + 32))\" "
        + "y2=\"\(fmt(rowY - 4))\" stroke=\"\(colour)\" stroke-width=\"3\"/>\n"
      legend += "<text x=\"\(fmt(boxLeft + 38))\" y=\"\(fmt(rowY))\" font-size=\"12.5\">\(SVGText.escaped(series.name))</text>\n"
    }
    svg += legend + "</g>\n"
    return svg
  }

  /// About five round tick values covering [lower, upper], and the number of
  /// decimals their labels need.
  static func niceTicks(lower: Double, upper: Double) -> (values: [Double], decimals: Int) {
    var low = lower, high = upper
    if !(high > low) { high = low + (low == 0 ? 1 : abs(low)) }
    let rough = (high - low) / 5
    var magnitude = 1.0
    var decimals = 0
    while magnitude > rough { magnitude /= 10; decimals += 1 }
    while magnitude * 10 <= rough { magnitude *= 10; decimals = max(decimals - 1, 0) }
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
    if step >= 10 * magnitude { decimals = max(decimals - 1, 0) }
    low = (low / step).rounded(.down) * step
    high = (high / step).rounded(.up) * step
    let count = Int(((high - low) / step).rounded())
    return ((0...count).map { low + Double($0) * step }, decimals)
  }

  /// `value` printed with `decimals` digits after the point.
  static func label(_ value: Double, decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((abs(value) * scale).rounded())
    let sign = value < 0 && scaled != 0 ? "-" : ""
    guard decimals > 0 else { return sign + String(scaled) }
    var digits = String(scaled)
    while digits.count <= decimals { digits = "0" + digits }
    let point = digits.index(digits.endIndex, offsetBy: -decimals)
    return sign + digits[..<point] + "." + digits[point...]
  }
}

/// A coordinate with at most two decimals.
private func fmt(_ value: Double) -> String {
  SVGFigure.label(value, decimals: 2)
}

