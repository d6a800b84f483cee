/// Range checks shared by the line searches' hyperparameters.
///
/// - Complexity: O(1).
@usableFromInline
enum LineSearchChecks {
  /// 0 < c₁ < c₂ < 1.
  static func ratios(_ c1: Double, _ c2: Double, in search: String) throws(OptimiserError) {
    guard c1 > 0, c1 < 1 else {
      throw .invalidHyperparameter(rule: search, name: "decreaseRatio", value: c1, requirement: "in (0, 1)")
    }
    guard c2 > c1, c2 < 1 else {
      throw .invalidHyperparameter(
        rule: search, name: "curvatureRatio", value: c2, requirement: "in (decreaseRatio, 1) = (\(c1), 1)")
    }
  }

  /// A count ≥ 1.
  static func count(_ value: Int, _ name: String, in search: String) throws(OptimiserError) {
    guard value >= 1 else {
      throw .invalidHyperparameter(rule: search, name: name, value: Double(value), requirement: "≥ 1")
    }
  }
}
