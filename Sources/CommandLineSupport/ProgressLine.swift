#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A one-line progress report on standard error for the long-running
/// executables (the tour, the benchmark, the checkpoint stress runs).
///
/// It is drawn only when standard error is a terminal and only once the work
/// has taken more than a second, and it redraws its single line in place, so a
/// CI log or a redirected run gets no progress output at all. Call ``finish()``
/// before printing results to clear the line.
public struct ProgressLine {
  /// What is being done, printed before the bar.
  public let label: String
  /// The number of ``advance(detail:)`` calls that make up the whole run, or
  /// `nil` when it is not known in advance (then a count and the elapsed time
  /// are shown instead of a bar).
  public let total: Int?
  /// The number of ``advance(detail:)`` calls so far.
  public private(set) var done = 0
  private var shown = false
  private let start = ContinuousClock.now

  /// Whether standard error is a terminal (decided once per process).
  public static let isTerminal = isatty(2) != 0

  /// Creates a progress line for `total` items of work.
  ///
  /// - Parameters:
  ///   - label: What is being done.
  ///   - total: The number of items, or `nil` if unknown.
  public init(label: String, total: Int? = nil) {
    self.label = label
    self.total = total
  }

  /// Records that the next item starts, and redraws the line with `detail`
  /// (the item's name) if the line is shown.
  public mutating func advance(detail: String) {
    done += 1
    let elapsed = ContinuousClock.now - start
    guard Self.isTerminal, elapsed > .seconds(1) else { return }
    let position: String
    if let total {
      let width = 24
      let filled = total > 0 ? width * min(done - 1, total) / total : width
      let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
      position = "\(bar) \(done)/\(total)"
    } else {
      position = "#\(done), \(elapsed.components.seconds) s"
    }
    Self.emit("\r\u{1B}[2K\(label) \(position) \(detail)")
    shown = true
  }

  /// Clears the line if anything was shown.
  public mutating func finish() {
    if shown { Self.emit("\r\u{1B}[2K") }
    shown = false
  }

  /// Writes `text` to standard error unbuffered, so it is not interleaved with
  /// buffered standard output out of order.
  static func emit(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
  }
}
