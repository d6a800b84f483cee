/// What a line search returns: the accepted step length and the objective
/// there, the evaluations it made and whether its conditions hold.
///
/// - Complexity: O(1) to copy.
@usableFromInline
struct LineSearchResult<Scalar: ParameterScalar> {
  /// The accepted step length t.
  @usableFromInline var step: Double
  /// The objective at x + t·d.
  @usableFromInline var sample: LineSample<Scalar>
  /// The objective evaluations the search made.
  @usableFromInline var evaluations: Int
  /// Whether the accepted step satisfies the search's conditions.
  @usableFromInline var converged: Bool

  @inlinable init(step: Double, sample: LineSample<Scalar>, evaluations: Int, converged: Bool) {
    self.step = step
    self.sample = sample
    self.evaluations = evaluations
    self.converged = converged
  }
}
