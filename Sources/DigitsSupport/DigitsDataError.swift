/// Why the digits file could not be loaded: the file could not be read, or a
/// line of it is not a row of 64 pixels and a label.
///
/// A malformed line names the line and the column (both counted from 1, the
/// column in bytes) where the bad input starts, so the message reads like a
/// compiler's: `digits.csv:12:37: expected a pixel 0–16, found "17"`.
public enum DigitsDataError: Error, Equatable, CustomStringConvertible {
  /// The file could not be opened or read; `reason` says why.
  case unreadable(path: String, reason: String)
  /// Line `line`, column `column` holds something the format does not allow.
  case malformed(line: Int, column: Int, message: String)

  /// The file (when known), line, column and what was wrong.
  public var description: String {
    switch self {
    case let .unreadable(path, reason): return "cannot read the digits data at \(path): \(reason)"
    case let .malformed(line, column, message): return "line \(line), column \(column): \(message)"
    }
  }
}
