extension HyperparameterRange {
  /// (0, 1): interpolations that are divided by (Schedule-Free's β).
  public static let openUnitInterval = HyperparameterRange(0, 1, includesLowerBound: false, includesUpperBound: false)
}
