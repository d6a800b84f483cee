import OptimiserLaws
import Testing

extension PropertyReport {
  /// Records a failure — the shrunk counterexample, the message and the
  /// `PropertyConfiguration(seed:)` line that reproduces it — as an issue of
  /// the running Swift Testing test; does nothing if the property held.
  ///
  /// ```swift
  /// @Test func ruleIsScaleInvariant() {
  ///   SemanticLaws.scaleInvariance(MyRule<Tensor<Double>>(), parameters: .tensor(shape: [3])).expectPassed()
  /// }
  /// ```
  ///
  /// - Complexity: O(size of the counterexample) on failure.
  public func expectPassed(
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
  ) {
    guard !passed else { return }
    Issue.record(
      Comment(rawValue: description),
      sourceLocation: SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column))
  }
}
