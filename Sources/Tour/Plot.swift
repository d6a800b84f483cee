import Foundation

/// A hand-written SVG document: panels, axes, curves and a legend.
struct SVGDocument {
  let width: Double
  let height: Double
  private(set) var body = ""
  private var clipCount = 0

  init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  var text: String {
    """
    <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" \
    viewBox="0 0 \(fmt(width)) \(fmt(height))" font-family="Helvetica, Arial, sans-serif">
    <rect width="100%" height="100%" fill="white"/>
    \(body)</svg>

    """
  }

  mutating func append(_ element: String) { body += element + "\n" }

  /// Adds a clip rectangle and returns its id.
  mutating func clip(_ rect: Rect) -> String {
    clipCount += 1
    let id = "clip\(clipCount)"
    append("<clipPath id=\"\(id)\"><rect x=\"\(fmt(rect.x))\" y=\"\(fmt(rect.y))\" width=\"\(fmt(rect.width))\" height=\"\(fmt(rect.height))\"/></clipPath>")
    return id
  }

  mutating func text(
    _ string: String, x: Double, y: Double, size: Double = 13, anchor: String = "start",
    weight: String = "normal", fill: String = "#222", rotate: Double? = nil
  ) {
    let transform = rotate.map { " transform=\"rotate(\(fmt($0)) \(fmt(x)) \(fmt(y)))\"" } ?? ""
    append("<text x=\"\(fmt(x))\" y=\"\(fmt(y))\" font-size=\"\(fmt(size))\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" fill=\"\(fill)\"\(transform)>\(escape(string))</text>")
  }

  mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1) {
    append("<line x1=\"\(fmt(x1))\" y1=\"\(fmt(y1))\" x2=\"\(fmt(x2))\" y2=\"\(fmt(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(fmt(width))\"/>")
  }

  mutating func polyline(
    _ points: [(Double, Double)], stroke: String, width: Double = 1.6, clip: String? = nil, opacity: Double = 1,
    dash: String? = nil
  ) {
    guard points.count > 1 else { return }
    let coordinates = points.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " ")
    let clipAttribute = clip.map { " clip-path=\"url(#\($0))\"" } ?? ""
    let dashAttribute = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    append("<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(fmt(width))\" stroke-opacity=\"\(fmt(opacity))\" stroke-linejoin=\"round\"\(dashAttribute)\(clipAttribute)/>")
  }

  mutating func circle(_ x: Double, _ y: Double, radius: Double, fill: String, stroke: String = "none") {
    append("<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"\(fmt(radius))\" fill=\"\(fill)\" stroke=\"\(stroke)\"/>")
  }

  mutating func rect(_ r: Rect, fill: String = "none", stroke: String = "#444", width: Double = 1) {
    append("<rect x=\"\(fmt(r.x))\" y=\"\(fmt(r.y))\" width=\"\(fmt(r.width))\" height=\"\(fmt(r.height))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(fmt(width))\"/>")
  }

  func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }
}

/// A rectangle in SVG coordinates (y grows downwards).
struct Rect {
  var x, y, width, height: Double
  var maxX: Double { x + width }
  var maxY: Double { y + height }
}

/// Two decimals at most, trailing zeros dropped: compact SVG numbers.
func fmt(_ value: Double) -> String {
  let rounded = (value * 100).rounded() / 100
  if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
  return String(format: "%.2f", rounded)
}

/// One colour per rule, distinct and legible on white (Tableau 10, then darker
/// and lighter companions).
let palette = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
  "#bcbd22", "#17becf", "#393b79", "#ad494a", "#637939", "#8c6d31", "#7b4173", "#3182bd",
  "#e6550d", "#31a354", "#756bb1", "#636363", "#b5cf6b", "#d6616b",
]

func colour(for rule: String, among rules: [String]) -> String {
  let index = rules.firstIndex(of: rule) ?? 0
  return palette[index % palette.count]
}

/// Solid lines for the first ten rules, dashed for the rest, so that rules with
/// similar colours still differ.
func dash(for rule: String, among rules: [String]) -> String? {
  (rules.firstIndex(of: rule) ?? 0) < 10 ? nil : "6 3"
}

/// Keeps the points of a screen-space path that are at least `spacing` apart, and
/// always the last, so long runs draw with few points.
func thin(_ points: [(Double, Double)], spacing: Double = 0.75) -> [(Double, Double)] {
  guard var last = points.first else { return [] }
  var kept = [last]
  for point in points.dropFirst() {
    let dx = point.0 - last.0, dy = point.1 - last.1
    if dx * dx + dy * dy >= spacing * spacing {
      kept.append(point)
      last = point
    }
  }
  if let final = points.last, kept.count > 1 || points.count > 1, kept.last! != final { kept.append(final) }
  return kept
}

/// Segments of the level set {f = level} of a function sampled on a grid, by
/// marching squares. `values[j][i]` is f at column i, row j.
func contourSegments(values: [[Double]], level: Double) -> [((Double, Double), (Double, Double))] {
  var segments: [((Double, Double), (Double, Double))] = []
  let rows = values.count, columns = values.first?.count ?? 0
  guard rows > 1, columns > 1 else { return [] }
  func crossing(_ a: Double, _ b: Double) -> Double { (level - a) / (b - a) }
  for j in 0..<(rows - 1) {
    for i in 0..<(columns - 1) {
      // Corners: 0 = (i, j), 1 = (i+1, j), 2 = (i+1, j+1), 3 = (i, j+1).
      let v0 = values[j][i], v1 = values[j][i + 1], v2 = values[j + 1][i + 1], v3 = values[j + 1][i]
      let x = Double(i), y = Double(j)
      var points: [(Double, Double)] = []
      // Edges in order: bottom (0–1), right (1–2), top (2–3), left (3–0).
      if (v0 < level) != (v1 < level) { points.append((x + crossing(v0, v1), y)) }
      if (v1 < level) != (v2 < level) { points.append((x + 1, y + crossing(v1, v2))) }
      if (v2 < level) != (v3 < level) { points.append((x + 1 - crossing(v2, v3), y + 1)) }
      if (v3 < level) != (v0 < level) { points.append((x, y + 1 - crossing(v3, v0))) }
      if points.count == 2 {
        segments.append((points[0], points[1]))
      } else if points.count == 4 {
        // A saddle: pair the crossings according to the value at the centre.
        let centre = (v0 + v1 + v2 + v3) / 4
        if (centre < level) == (v0 < level) {
          segments.append((points[0], points[1]))
          segments.append((points[2], points[3]))
        } else {
          segments.append((points[0], points[3]))
          segments.append((points[1], points[2]))
        }
      }
    }
  }
  return segments
}
