import OptimiserLaws
import Testing

extension LawReport {
  /// Records every violated structural ``Law`` (or a generator problem), with
  /// its shrunk counterexample, as an issue of the running Swift Testing test.
  ///
  /// ```swift
  /// @Test(arguments: [0.01, 0.1]) func myRuleKeepsTheLaws(rate: Double) {
  ///   OptimiserLaws.check(MyRule<Tensor<Float>>(learningRate: rate), parameters: .tensor()).expectPassed()
  /// }
  /// ```
  ///
  /// - Complexity: O(violations).
  public func expectPassed(
    fileID: String = #fileID, filePath: String = #filePath, line: Int = #line, column: Int = #column
  ) {
    let location = SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column)
    if let generatorProblem { Issue.record(Comment(rawValue: "\(rule): \(generatorProblem)"), sourceLocation: location) }
    for violation in violations {
      Issue.record(Comment(rawValue: "\(rule): \(violation)"), sourceLocation: location)
    }
  }
}
