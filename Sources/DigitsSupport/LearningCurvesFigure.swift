import CommandLineSupport
import Optimisers

/// An SVG of learning curves: training loss (log scale) and held-out accuracy
/// against epochs, one colour per run, written without Foundation.
public struct LearningCurvesFigure {
  /// One run's curves.
  public struct Curve {
    /// The legend's label.
    public var name: String
    /// One record per epoch.
    public var history: [EpochRecord]

    /// Creates a curve.
    public init(name: String, history: [EpochRecord]) {
      self.name = name
      self.history = history
    }
  }

  /// The figure's title.
  public var title: String
  /// The runs, drawn in this order.
  public var curves: [Curve]

  static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

  /// Creates a figure.
  public init(title: String, curves: [Curve]) {
    self.title = title
    self.curves = curves
  }

  /// The SVG document.
  public var svg: String {
    let panelWidth = 420.0, panelHeight = 280.0, left = 70.0, top = 70.0, gap = 90.0
    var out = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(2 * panelWidth + gap + left + 170))" \
      height="\(Int(panelHeight + top + 70))" font-family="Helvetica, Arial, sans-serif">
      <rect width="100%" height="100%" fill="white"/>
      <text x="\(left)" y="32" font-size="18" font-weight="bold">\(SVGText.escaped(title))</text>

      """
    let epochs = Swift.max(1, curves.map(\.history.count).max() ?? 1)
    let losses = curves.flatMap { $0.history.map(\.trainingLoss) }.filter { $0 > 0 && $0.isFinite }
    let lowLoss = log10(losses.min() ?? 0.01), highLoss = log10(losses.max() ?? 1)
    let accuracies = curves.flatMap { $0.history.map(\.testAccuracy) }
    let lowAccuracy = Swift.min(0.9, ((accuracies.min() ?? 0.9) * 20).rounded(.down) / 20)
    let panels: [(String, Double, Double, Bool, (EpochRecord) -> Double)] = [
      ("training loss (log scale)", lowLoss.rounded(.down), Swift.max(highLoss.rounded(.up), lowLoss.rounded(.down) + 1), true,
       { log10(Swift.max($0.trainingLoss, 1e-300)) }),
      ("held-out accuracy", lowAccuracy, 1, false, { $0.testAccuracy }),
    ]
    for (index, panel) in panels.enumerated() {
      let x0 = left + Double(index) * (panelWidth + gap), y0 = top
      let (label, low, high, logarithmic, value) = panel
      out += "<rect x=\"\(x0)\" y=\"\(y0)\" width=\"\(panelWidth)\" height=\"\(panelHeight)\" fill=\"none\" stroke=\"#444\"/>\n"
      out += "<text x=\"\(x0 + panelWidth / 2)\" y=\"\(y0 - 10)\" font-size=\"14\" text-anchor=\"middle\">\(label)</text>\n"
      out += "<text x=\"\(x0 + panelWidth / 2)\" y=\"\(y0 + panelHeight + 40)\" font-size=\"13\" text-anchor=\"middle\">epoch</text>\n"
      // Every decade of the loss panel; five even steps of the accuracy panel.
      let ticks = logarithmic ? stride(from: low, through: high, by: 1).map { $0 }
                              : (0...4).map { low + (high - low) * Double($0) / 4 }
      for tickValue in ticks {
        let y = y0 + panelHeight * (1 - (tickValue - low) / (high - low))
        let text = logarithmic ? decimal(pow10(tickValue), digits: Swift.max(0, Int(-tickValue))) : decimal(tickValue * 100, digits: 1) + "%"
        out += "<line x1=\"\(x0)\" y1=\"\(y)\" x2=\"\(x0 + panelWidth)\" y2=\"\(y)\" stroke=\"#ddd\"/>\n"
        out += "<text x=\"\(x0 - 6)\" y=\"\(y + 4)\" font-size=\"11\" text-anchor=\"end\">\(text)</text>\n"
      }
      for tick in [0, epochs / 2, epochs] {
        let x = x0 + panelWidth * Double(tick) / Double(epochs)
        out += "<text x=\"\(x)\" y=\"\(y0 + panelHeight + 18)\" font-size=\"11\" text-anchor=\"middle\">\(tick)</text>\n"
      }
      for (number, curve) in curves.enumerated() {
        let points = curve.history.enumerated().map { epoch, record -> String in
          let x = x0 + panelWidth * Double(epoch + 1) / Double(epochs)
          let fraction = (Swift.min(Swift.max(value(record), low), high) - low) / (high - low)
          return "\(decimal(x, digits: 1)),\(decimal(y0 + panelHeight * (1 - fraction), digits: 1))"
        }
        out += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(Self.colours[number % Self.colours.count])\" stroke-width=\"2\"/>\n"
      }
    }
    let legendX = left + 2 * panelWidth + gap + 20
    for (number, curve) in curves.enumerated() {
      let y = top + 20 + Double(number) * 22
      out += "<line x1=\"\(legendX)\" y1=\"\(y - 4)\" x2=\"\(legendX + 24)\" y2=\"\(y - 4)\" stroke=\"\(Self.colours[number % Self.colours.count])\" stroke-width=\"3\"/>\n"
      out += "<text x=\"\(legendX + 30)\" y=\"\(y)\" font-size=\"13\">\(SVGText.escaped(curve.name))</text>\n"
    }
    return out + "</svg>\n"
  }
}

/// `value` with `digits` decimals (rounded half away from zero), without
/// Foundation's formatter.
public func decimal(_ value: Double, digits: Int) -> String {
  guard value.isFinite else { return "\(value)" }
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let scaled = (abs(value) * scale).rounded()
  let whole = Int(scaled / scale), fraction = Int(scaled - Double(whole) * scale)
  var text = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
  if digits > 0 {
    let fractionText = String(fraction)
    text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
  }
  return text
}

func log10(_ x: Double) -> Double { Double.log(x) / Double.log(10) }
func pow10(_ x: Double) -> Double { Double.exp(x * Double.log(10)) }
