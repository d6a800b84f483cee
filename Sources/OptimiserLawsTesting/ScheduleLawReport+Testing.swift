import OptimiserLaws
import Testing

extension ScheduleLawReport {
  /// Records every failing schedule law, with its shrunk step and
  /// reproduction line, as an issue of the running Swift Testing test.
  ///
  /// ```swift
  /// @Test func myScheduleStaysInBounds() {
  ///   ScheduleLaws.check(MySchedule(), bounds: 0...1, monotonicity: .nonIncreasing).expectPassed()
  /// }
  /// ```
  ///
  /// - Complexity: O(laws).
  public func expectPassed(
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
  ) {
    for (name, report) in laws where !report.passed {
      Issue.record(
        Comment(rawValue: "\(schedule): [\(name)] \(report)"),
        sourceLocation: SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column))
    }
  }
}
